using Calico.Resources;

namespace Calico.Manifests;

/// <summary>
/// Converts v1 resources to projectcalico.org/v3 exactly as `calicoctl convert` did in its last release
/// (v3.31: libcalico-go lib/upgrade/converters, v1 API → v1 backend → v3 API), defaults included.
/// It does not validate the result: that is the v3 validator's job, as it was a separate step in calicoctl.
/// </summary>
public static class V1Converter
{
    public static CalicoResource Convert(V1Resource resource) => resource switch
    {
        V1IPPool pool => Convert(pool),
        V1Node node => Convert(node),
        _ => throw new ArgumentException($"no conversion for v1 kind {resource.Kind}", nameof(resource)),
    };

    /// <exception cref="ArgumentException">When the pool has no CIDR.</exception>
    public static IPPool Convert(V1IPPool pool)
    {
        if (pool.Cidr is not { } cidr) throw new ArgumentException("the v1 ipPool has no metadata.cidr", nameof(pool));
        return new IPPool
        {
            Metadata = { Name = ResourceNames.FromCidr(cidr) },
            Spec =
            {
                // The CIDR keeps any host bits as written; the v1 checks reject those, the converter does not.
                Cidr = cidr.ToString(),
                IPIPMode = ConvertIPIPMode(pool.IPIP),
                VXLANMode = VXLANMode.Never,
                NatOutgoing = pool.NatOutgoing,
                Disabled = pool.Disabled,
                // Fields new in v3, which convert wrote with the values a v1 pool behaved as.
                NodeSelector = "all()",
                AllowedUses = [IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel],
                AssignmentMode = AssignmentMode.Automatic,
                BlockSize = cidr.IsIPv6 ? 122 : 26,
            },
        };
    }

    // ipip absent or not enabled → Never, whatever the mode; enabled → CrossSubnet for cross-subnet, else
    // Always (the v1 default mode). The v1 backend kept the mode lower-cased, so any casing counts here.
    private static IPIPMode ConvertIPIPMode(V1IPIPConfiguration? ipip)
    {
        if (ipip is not { Enabled: true }) return IPIPMode.Never;
        return string.Equals(ipip.Mode, V1IPIPConfiguration.ModeCrossSubnet, StringComparison.OrdinalIgnoreCase)
            ? IPIPMode.CrossSubnet
            : IPIPMode.Always;
    }

    /// <exception cref="ArgumentException">When spec.bgp is present without an address.</exception>
    public static Node Convert(V1Node node)
    {
        var v3 = new Node { Metadata = { Name = ResourceNames.FromNodeName(node.Name) } };
        if (node.BGP is { } bgp)
        {
            if (bgp.IPv4Address is null && bgp.IPv6Address is null)
                throw new ArgumentException("Invalid NodeBGPSpec, missing address: spec.bgp needs ipv4Address or ipv6Address", nameof(node));
            v3.Spec.BGP = new NodeBGPSpec
            {
                ASNumber = bgp.ASNumber,
                // The address keeps its host bits and prefix; one written without a prefix became /32 (/128)
                // when read, which is how pre-v2.1 nodes without a stored subnet come out.
                IPv4Address = bgp.IPv4Address?.ToString(),
                IPv6Address = bgp.IPv6Address?.ToString(),
            };
        }
        if (node.OrchRefs is { Count: > 0 } refs)
            v3.Spec.OrchRefs = refs.Select(o => new OrchRef { NodeName = o.NodeName, Orchestrator = o.Orchestrator }).ToList();
        return v3;
    }
}
