using Calico.Resources;
using Calico.Serialization;

namespace Calico.Validation;

/// <summary>
/// Checks resources against every rule Calico applies without a datastore, and reports every problem at once,
/// each with its field path, value and Calico's own wording where Calico has one.
/// Where the commit the reference cites (HEAD 87c15906) and v3.32.1 differ, HEAD is followed.
/// </summary>
public static class ResourceValidator
{
    /// <summary>
    /// Problems with the resource as written (absent fields count as their CRD defaults). This is what
    /// `calicoctl validate` checks, plus the client's CIDR checks. To check a pool exactly as create and
    /// apply do, call <see cref="ResourceDefaults.Apply"/> on it first. Metadata rules apply to every kind;
    /// spec rules exist for IPPool and Node.
    /// </summary>
    public static IReadOnlyList<FieldError> Validate(CalicoResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var errors = new ErrorSink();
        Check(resource, errors);
        return errors.ToList();
    }

    /// <summary>
    /// Problems with replacing <paramref name="current"/> (as stored) by <paramref name="updated"/>: those of
    /// <see cref="Validate"/> plus what an update may not change (an IPPool's CIDR, block size, and a
    /// LoadBalancer use).
    /// </summary>
    public static IReadOnlyList<FieldError> ValidateUpdate(CalicoResource current, CalicoResource updated)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        if (current.Kind != updated.Kind)
            throw new ArgumentException($"cannot update a {current.Kind} with a {updated.Kind}", nameof(updated));
        var errors = new ErrorSink();
        Check(updated, errors);
        if (current is IPPool before && updated is IPPool after) IPPoolUpdateRules.Check(before.Spec, after.Spec, errors);
        return errors.ToList();
    }

    private static void Check(CalicoResource resource, ErrorSink errors)
    {
        var metadata = resource.Metadata;
        NameRules.Check(metadata.Name, errors);
        LabelRules.CheckLabels(metadata.Labels, errors);
        LabelRules.CheckAnnotations(metadata.Annotations, errors);
        switch (resource)
        {
            case IPPool pool:
                IPPoolRules.Check(pool.Spec, errors);
                break;
            case Node node:
                NodeRules.Check(node, errors);
                break;
        }
    }
}
