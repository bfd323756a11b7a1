using Calico.Validation;

namespace Calico.Manifests;

/// <summary>
/// Checks a resource read from a manifest as `calicoctl apply` would: a document that could not be read reports its
/// reading problems; v1 input is converted to v3 first; the rest is <see cref="ResourceChecker"/>.
/// </summary>
public static class ManifestChecker
{
    public static ResourceValidationResult Check(ManifestItem item)
    {
        if (item.HasErrors || (item.Resource is null && item.V1 is null))
        {
            return new ResourceValidationResult
            {
                Kind = item.Kind, Name = null, Errors = item.Errors, Source = item.Source, Document = item.Document, Line = item.Line,
            };
        }
        var resource = item.ToV3()!;
        return ResourceChecker.Check(resource, item.Source, item.Document, item.Line);
    }
}
