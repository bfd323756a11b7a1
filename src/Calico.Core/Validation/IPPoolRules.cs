using System.Globalization;
using Calico.Net;
using Calico.Resources;

namespace Calico.Validation;

/// <summary>
/// Every rule Calico applies to an IPPool's spec without a datastore, at HEAD 87c15906:
/// the client's CIDR checks (libcalico-go/lib/clientv3/ippool.go:356-493), the validator's field and
/// struct checks (libcalico-go/lib/validator/v3/validator.go:959-1006), the CRD schema's enums and bounds,
/// and the CRD's CEL rules (api/pkg/apis/projectcalico/v3/ippool.go:86-160), which Calico runs in-process
/// in etcd mode (validator.go:134-151).
/// HEAD differs from v3.32.1, and we follow HEAD: there these rules were Go checks in the client and validator
/// (@v3.32.1 clientv3/ippool.go:435-558, validator.go:1160-1306) worded otherwise ("IPv4 block size must be between
/// 20 and 32", "Cannot enable both VXLAN and IPIP on the same IPPool", "IPIP is not supported on an IPv6 IP pool",
/// "IPPool CIDR overlaps with IPv4 Link Local range 169.254.0.0/16", "... - use all() instead"), and the validator
/// took an empty ipipMode on an IPv6 pool for an enabled one, where HEAD's CEL rule does not.
/// The pool is checked as written, with the CRD's defaults for absent fields (nodeSelector all(),
/// blockSize 26 or 122). Run <see cref="ResourceDefaults.Apply"/> first to check it as create and apply
/// do: the client's defaults then take part (a namespaceSelector with no allowedUses meets the default
/// Tunnel use, and is rejected).
/// </summary>
internal static class IPPoolRules
{
    private static readonly IPPrefix IPv4LinkLocal = IPPrefix.Parse("169.254.0.0/16");
    private static readonly IPPrefix IPv6LinkLocal = IPPrefix.Parse("fe80::/10");

    private const int MaxAllowedUses = 10;   // ippool.go:145 MaxItems
    private const int BlockSizeMinimum = 0;  // ippool.go:128
    private const int BlockSizeMaximum = 128; // ippool.go:129

    public static void Check(IPPoolSpec spec, ErrorSink errors)
    {
        var network = CheckCidr(spec.Cidr, errors);
        CheckSelectors(spec, errors);
        CheckAllowedUses(spec, errors);
        CheckEnums(spec, errors);
        CheckEncapsulation(spec, network, errors);
        CheckLoadBalancerAndTunnelUses(spec, errors);
        CheckBlockSize(spec, network, errors);
    }

    /// <summary>
    /// The CIDR must be given, must parse as address/length (a bare address does not), and must be
    /// strictly masked; nor may it overlap a link-local range in either direction. Returns the pool's
    /// network for the rules that need it, or null when the CIDR is unusable.
    /// </summary>
    private static IPPrefix? CheckCidr(string cidr, ErrorSink errors)
    {
        if (string.IsNullOrEmpty(cidr))
        {
            errors.Add("spec.cidr", null, "IPPool CIDR must be specified"); // clientv3/ippool.go:360-367
            return null;
        }
        if (!IPPrefix.TryParse(cidr, out var prefix))
        {
            errors.Add("spec.cidr", cidr, "IPPool CIDR must be a valid subnet"); // clientv3/ippool.go:369-379
            return null;
        }
        // The client rewrites the CIDR to its masked network before comparing, so it reports the rewritten
        // text; we show the text the user wrote (clientv3/ippool.go:486-493).
        if (!prefix.IsMasked) errors.Add("spec.cidr", cidr, "IPPool CIDR is not strictly masked");
        var network = prefix.Network;
        if (network.Overlaps(IPv4LinkLocal)) // ippool.go:96
            errors.Add("spec.cidr", cidr, "IPPool CIDR overlaps with IPv4 link local range 169.254.0.0/16");
        if (network.Overlaps(IPv6LinkLocal)) // ippool.go:97
            errors.Add("spec.cidr", cidr, "IPPool CIDR overlaps with IPv6 link local range fe80::/10");
        // The CRD's maxLength of 48 (ippool.go:104) is checked after the client's rewrite to canonical
        // text, which is never longer than 43 characters, so it cannot fail.
        return network;
    }

    private static void CheckSelectors(IPPoolSpec spec, ErrorSink errors)
    {
        if (!string.IsNullOrEmpty(spec.NodeSelector))
            SelectorRules.Check(spec.NodeSelector, "spec.nodeSelector", "global() selector is not valid for IPPool nodeSelector", errors);
        if (!string.IsNullOrEmpty(spec.NamespaceSelector))
            SelectorRules.Check(spec.NamespaceSelector, "spec.namespaceSelector", "global() selector is not valid for IPPool namespaceSelector", errors);
    }

    private static void CheckAllowedUses(IPPoolSpec spec, ErrorSink errors)
    {
        if (spec.AllowedUses is not { } uses) return;
        if (uses.Count > MaxAllowedUses) // ippool.go:145
            errors.Add("spec.allowedUses", uses.Count.ToString(CultureInfo.InvariantCulture), $"must have at most {MaxAllowedUses} items");
        for (var i = 0; i < uses.Count; i++)
        {
            if (uses[i] is not (IPPoolAllowedUse.Workload or IPPoolAllowedUse.Tunnel or IPPoolAllowedUse.LoadBalancer))
                errors.Add($"spec.allowedUses[{i}]", uses[i].ToString(), "unknown use: " + uses[i]); // validator.go:996-1005
        }
    }

    /// <summary>The CRD enums (ippool.go:177,191,210); the decoder already refuses unknown text, this guards values set in code.</summary>
    private static void CheckEnums(IPPoolSpec spec, ErrorSink errors)
    {
        if (spec.IPIPMode is { } ipip and not (IPIPMode.Never or IPIPMode.Always or IPIPMode.CrossSubnet))
            errors.Add("spec.ipipMode", ipip.ToString(), "supported values: \"Never\", \"Always\", \"CrossSubnet\"");
        if (spec.VXLANMode is { } vxlan and not (VXLANMode.Never or VXLANMode.Always or VXLANMode.CrossSubnet))
            errors.Add("spec.vxlanMode", vxlan.ToString(), "supported values: \"Never\", \"Always\", \"CrossSubnet\"");
        if (spec.AssignmentMode is { } mode and not (AssignmentMode.Automatic or AssignmentMode.Manual))
            errors.Add("spec.assignmentMode", mode.ToString(), "supported values: \"Automatic\", \"Manual\"");
    }

    private static void CheckEncapsulation(IPPoolSpec spec, IPPrefix? network, ErrorSink errors)
    {
        if (IPIPEnabled(spec) && VXLANEnabled(spec)) // ippool.go:86
            errors.Add("spec.vxlanMode", spec.VXLANMode.ToString(), "ipipMode and vxlanMode cannot both be enabled");
        if (network is { IsIPv6: true } && IPIPEnabled(spec)) // ippool.go:89
            errors.Add("spec.ipipMode", spec.IPIPMode.ToString(), "IPIP is not supported on IPv6 pools");
    }

    private static void CheckLoadBalancerAndTunnelUses(IPPoolSpec spec, ErrorSink errors)
    {
        if (Has(spec, IPPoolAllowedUse.LoadBalancer))
        {
            if (IPIPEnabled(spec) || VXLANEnabled(spec)) // ippool.go:87
                errors.Add("spec.allowedUses", null, "LoadBalancer IP pool cannot have IPIP or VXLAN enabled");
            if (Has(spec, IPPoolAllowedUse.Workload) || Has(spec, IPPoolAllowedUse.Tunnel)) // ippool.go:88
                errors.Add("spec.allowedUses", null, "LoadBalancer cannot be combined with Workload or Tunnel allowed uses");
            if (spec.DisableBGPExport) // ippool.go:90
                errors.Add("spec.disableBGPExport", "true", "LoadBalancer IP pools cannot disable BGP export");
            // An absent nodeSelector takes the CRD default all() first; the comparison is exact text.
            var nodeSelector = string.IsNullOrEmpty(spec.NodeSelector) ? ResourceDefaults.AllNodes : spec.NodeSelector;
            if (nodeSelector != ResourceDefaults.AllNodes) // ippool.go:91
                errors.Add("spec.nodeSelector", nodeSelector, "IP Pool with AllowedUse LoadBalancer must have nodeSelector set to all()");
        }
        if (Has(spec, IPPoolAllowedUse.Tunnel) && !string.IsNullOrEmpty(spec.NamespaceSelector)) // ippool.go:92
            errors.Add("spec.namespaceSelector", spec.NamespaceSelector, "IP Pool with AllowedUse Tunnel cannot have namespaceSelector");
    }

    private static void CheckBlockSize(IPPoolSpec spec, IPPrefix? network, ErrorSink errors)
    {
        var blockSize = spec.BlockSize;
        var shown = blockSize.ToString(CultureInfo.InvariantCulture);
        // The schema's bounds (ippool.go:128-129), worded as go-openapi words them for a CRD.
        if (blockSize < BlockSizeMinimum)
            errors.Add("spec.blockSize", shown, $"spec.blockSize in body should be greater than or equal to {BlockSizeMinimum}");
        if (blockSize > BlockSizeMaximum)
            errors.Add("spec.blockSize", shown, $"spec.blockSize in body should be less than or equal to {BlockSizeMaximum}");
        if (network is not { } pool) return;

        // 0 means "use the default" (ippool.go:98).
        if (blockSize != 0 && !(pool.IsIPv6 ? blockSize is >= 116 and <= 128 : blockSize is >= 20 and <= 32))
            errors.Add("spec.blockSize", shown, "blockSize must be between 20 and 32 for IPv4 pools, and between 116 and 128 for IPv6 pools");

        // The pool must hold at least one block; a disabled pool is exempt (ippool.go:99).
        var effective = blockSize != 0 ? blockSize : ResourceDefaults.DefaultBlockSize(pool);
        if (!spec.Disabled && pool.PrefixLength > effective)
            errors.Add("spec.cidr", spec.Cidr,
                "IP pool size is too small for use with Calico IPAM. It must be equal to or greater than the block size.");
    }

    private static bool IPIPEnabled(IPPoolSpec spec) => spec.IPIPMode is { } m && m != IPIPMode.Never;

    private static bool VXLANEnabled(IPPoolSpec spec) => spec.VXLANMode is { } m && m != VXLANMode.Never;

    private static bool Has(IPPoolSpec spec, IPPoolAllowedUse use) => spec.AllowedUses?.Contains(use) == true;
}
