using System.Management.Automation;
using Calico.Manifests;
using Calico.Serialization;
using Calico.Validation;

namespace Calico.PowerShell.Infrastructure;

/// <summary>
/// The module's error records: one stable ErrorId per kind of failure, the specific exception, the right category,
/// and the item itself as target, so `$err[0].TargetObject` is what failed.
/// </summary>
internal static class Errors
{
    public const string InvalidManifest = "InvalidManifest";
    public const string InvalidResource = "InvalidResource";

    public static ErrorRecord ForManifestItem(ManifestItem item) =>
        new(new ManifestException(item.Errors), InvalidManifest, ErrorCategory.InvalidData, item);

    public static ErrorRecord ForInvalidResource(ResourceValidationResult result, object target) =>
        new(new ResourceValidationException(result), InvalidResource, ErrorCategory.InvalidData, target);
}
