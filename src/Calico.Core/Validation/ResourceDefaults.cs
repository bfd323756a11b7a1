using Calico.Net;
using Calico.Resources;

namespace Calico.Validation;

/// <summary>
/// The defaults libcalico-go's client writes when it creates or updates an IPPool
/// (libcalico-go/lib/clientv3/ippool.go:381-484), and applies again to pools it reads (ippool.go:256-304).
/// </summary>
public static class ResourceDefaults
{
    /// <summary>The selector that matches every node.</summary>
    public const string AllNodes = "all()";

    public const int DefaultIPv4BlockSize = 26;
    public const int DefaultIPv6BlockSize = 122;

    /// <summary>
    /// Fills what is unset: nodeSelector all(), blockSize 26 or 122 by the CIDR's family, allowedUses
    /// [Workload, Tunnel], assignmentMode Automatic, ipipMode and vxlanMode Never; and rewrites the CIDR in
    /// canonical form (FD00:0::/48 becomes fd00::/48). Mutates the pool in place.
    /// A CIDR with host bits set is left as written: Calico rewrites it to its network and then refuses it
    /// (ippool.go:382,487-493), so rewriting it here would only hide the error from the validator.
    /// </summary>
    public static void Apply(IPPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var spec = pool.Spec;
        if (IPPrefix.TryParse(spec.Cidr, out var prefix))
        {
            if (prefix.IsMasked) spec.Cidr = prefix.ToString();
            if (spec.BlockSize == 0) spec.BlockSize = DefaultBlockSize(prefix);
        }
        if (string.IsNullOrEmpty(spec.NodeSelector)) spec.NodeSelector = AllNodes;
        if (spec.AllowedUses is null || spec.AllowedUses.Count == 0)
            spec.AllowedUses = [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel];
        spec.AssignmentMode ??= AssignmentMode.Automatic;
        spec.IPIPMode ??= IPIPMode.Never;
        spec.VXLANMode ??= VXLANMode.Never;
    }

    /// <summary>The block size a pool gets when it names none: 26 for IPv4, 122 for IPv6.</summary>
    public static int DefaultBlockSize(IPPrefix cidr) => cidr.IsIPv6 ? DefaultIPv6BlockSize : DefaultIPv4BlockSize;
}
