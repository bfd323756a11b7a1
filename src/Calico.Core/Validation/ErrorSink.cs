using Calico.Serialization;

namespace Calico.Validation;

/// <summary>
/// Collects the problems one validation run finds. The list is made only when there is a problem,
/// so a valid resource costs one tiny object.
/// </summary>
internal sealed class ErrorSink
{
    private List<FieldError>? _errors;

    public bool IsEmpty => _errors is null;

    public void Add(string field, string? value, string message) =>
        (_errors ??= new List<FieldError>(4)).Add(new FieldError { Field = field, Value = value, Message = message });

    public IReadOnlyList<FieldError> ToList() => _errors is null ? Array.Empty<FieldError>() : _errors;
}
