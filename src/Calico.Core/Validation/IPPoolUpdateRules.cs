using Calico.Net;
using Calico.Resources;

namespace Calico.Validation;

/// <summary>
/// What an update may not change (libcalico-go/lib/clientv3/ippool.go:312-351, 389-445). Both pools are
/// read with Calico's defaults, as the client compares the stored pool (defaulted on read) with the new
/// one (defaulted before the check). In etcd mode the CRD's own "self == oldSelf" rules never run:
/// Validate passes no old object (validator.go:134-151).
/// </summary>
internal static class IPPoolUpdateRules
{
    public static void Check(IPPoolSpec current, IPPoolSpec updated, ErrorSink errors)
    {
        if (!CidrChangeOK(current.Cidr, updated.Cidr))
            errors.Add("spec.cidr", updated.Cidr, "IPPool CIDR cannot be modified");

        if (EffectiveBlockSize(current) is { } before && EffectiveBlockSize(updated) is { } after && before != after)
            errors.Add("spec.blockSize", after.ToString(System.Globalization.CultureInfo.InvariantCulture), "IPPool BlockSize cannot be modified");

        // "LoadBalacer" is Calico's own spelling.
        if (EffectiveUses(current).Contains(IPPoolAllowedUse.LoadBalancer)
            && EffectiveUses(updated).Any(u => u != IPPoolAllowedUse.LoadBalancer))
            errors.Add("spec.allowedUses", null, "IPPool allowed use cannot be changed from LoadBalacer to Workload or Tunnel");
    }

    /// <summary>
    /// The client first rewrites the new CIDR to its network in canonical form, then accepts equal text, or
    /// the same network: that lets a pool stored in a non-canonical form (FD00:0::/48) be rewritten to
    /// fd00::/48. An unparsable new CIDR is reported by the spec rules, and never reaches this check.
    /// </summary>
    private static bool CidrChangeOK(string current, string updated)
    {
        if (!IPPrefix.TryParse(updated, out var @new)) return true;
        var rewritten = @new.Network;
        if (current == rewritten.ToString()) return true;
        return IPPrefix.TryParse(current, out var old) && old.Network == rewritten;
    }

    private static int? EffectiveBlockSize(IPPoolSpec spec)
    {
        if (spec.BlockSize != 0) return spec.BlockSize;
        return IPPrefix.TryParse(spec.Cidr, out var prefix) ? ResourceDefaults.DefaultBlockSize(prefix) : null;
    }

    private static IReadOnlyList<IPPoolAllowedUse> EffectiveUses(IPPoolSpec spec) =>
        spec.AllowedUses is { Count: > 0 } uses ? uses : [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel];
}
