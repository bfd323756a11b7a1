using Calico.Resources;
using Calico.Serialization;

namespace Calico.Validation;

/// <summary>A resource that Calico would refuse; carries every problem, each with its field and value.</summary>
public sealed class ResourceValidationException : Exception
{
    public ResourceValidationException(string? kind, string? name, IReadOnlyList<FieldError> errors)
        : base($"{kind}/{name} is not valid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
    {
        Kind = kind;
        Name = name;
        Errors = errors;
    }

    public ResourceValidationException(ResourceValidationResult result) : this(result.Kind, result.Name, result.Errors)
    {
    }

    public string? Kind { get; }
    public string? Name { get; }
    public IReadOnlyList<FieldError> Errors { get; }
}
