using Calico.Resources;
using Calico.Serialization;

namespace Calico.Validation;

/// <summary>Whether one resource is valid as Calico would store it, and every problem if not.</summary>
public sealed class ResourceValidationResult
{
    public string? Kind { get; init; }
    public string? Name { get; init; }
    public bool IsValid => Errors.Count == 0;
    public IReadOnlyList<FieldError> Errors { get; init; } = Array.Empty<FieldError>();

    /// <summary>Where the resource was read from: a file path, or null for an object or piped text.</summary>
    public string? Source { get; init; }
    public int Document { get; init; }
    public int Line { get; init; }

    /// <summary>The v3 resource that was checked (v1 input converted), when it could be read.</summary>
    public CalicoResource? Resource { get; init; }

    public override string ToString() => IsValid ? $"{Kind}/{Name}: valid" : $"{Kind}/{Name}: {Errors.Count} problem(s)";
}
