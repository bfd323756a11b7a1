using Calico.Resources;
using Calico.Serialization;

namespace Calico.Validation;

/// <summary>
/// Checks a resource the way `calicoctl apply` would before it writes: v1 input converted to v3, the client's
/// defaults applied to a copy, then every validation rule. The caller's object is never changed.
/// </summary>
public static class ResourceChecker
{
    public static ResourceValidationResult Check(CalicoResource resource) => Check(resource, null, 0, 0, Array.Empty<FieldError>());

    /// <summary>Checks a resource read from a manifest, reporting its problems at its source, document and line.</summary>
    public static ResourceValidationResult Check(CalicoResource resource, string? source, int document, int line) =>
        Check(resource, source, document, line, Array.Empty<FieldError>());

    private static ResourceValidationResult Check(CalicoResource resource, string? source, int document, int line, IReadOnlyList<FieldError> earlier)
    {
        var copy = resource.CloneResource();
        if (copy is IPPool pool) ResourceDefaults.Apply(pool);
        var problems = ResourceValidator.Validate(copy);
        var errors = earlier.Concat(problems.Select(e => e with
        {
            Source = e.Source ?? source,
            Document = e.Document == 0 ? document : e.Document,
            Line = e.Line == 0 ? line : e.Line,
        })).ToList();
        return new ResourceValidationResult
        {
            Kind = resource.Kind, Name = resource.Name, Errors = errors, Source = source, Document = document, Line = line, Resource = resource,
        };
    }
}
