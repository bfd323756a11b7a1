using Calico.Ipam;

namespace Calico.Analysis.Checks;

/// <summary>
/// Nodes without the tunnel address their encapsulation needs. felix turns IPIP and VXLAN on for every node when any
/// pool uses them (encapsulation_resolver.go:262-287), but calico-node gives a node a tunnel address only from an
/// enabled pool that selects it and allows tunnel addresses (allocateip.go determineEnabledPoolCIDRs). Without one,
/// felix does not configure tunl0 (ipip_mgr.go:210-213), and a node has no VTEP (vxlan_resolver.go:237-282).
/// </summary>
internal static class TunnelAddressCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        var e = context.Encapsulation;
        var pools = context.Snapshot.Pools;
        foreach (var node in context.Nodes)
        {
            if (e.IPIPEnabled && node.Facts.IPIPTunnelAddress is null)
                yield return Finding(context, node, TunnelAddressType.IPIP, TunnelAddressTypes.EligiblePools(node.Node, pools, TunnelAddressType.IPIP));
            if (e.VXLANEnabled && node.Node.Spec.IPv4VXLANTunnelAddr is null or "")
                yield return Finding(context, node, TunnelAddressType.VXLAN, TunnelAddressTypes.EligiblePools(node.Node, pools, TunnelAddressType.VXLAN));
            if (e.VXLANEnabledV6 && e.IPv6Support && node.Facts.V6 is not null && node.Node.Spec.IPv6VXLANTunnelAddr is null or "")
                yield return Finding(context, node, TunnelAddressType.VXLANV6, TunnelAddressTypes.EligiblePools(node.Node, pools, TunnelAddressType.VXLANV6));
        }
    }

    private static NetworkFinding Finding(CheckContext context, CheckedNode node, TunnelAddressType type, List<IpamPool> eligible)
    {
        var field = TunnelAddressTypes.FieldPath(type);
        var (encapsulation, consequence) = type switch
        {
            TunnelAddressType.IPIP => ("IPIP",
                $"felix does not configure tunl0 without it (ipip_mgr.go:210-213), so {node.Name} cannot send IP-in-IP traffic"),
            TunnelAddressType.VXLAN => ("VXLAN",
                $"{node.Name} has no VTEP (vxlan_resolver.go:237-282): no node can route to its workloads in VXLAN pools, and it cannot send VXLAN traffic itself"),
            _ => ("IPv6 VXLAN",
                $"{node.Name} has no IPv6 VTEP (vxlan_resolver.go:237-282): no node can route to its workloads in IPv6 VXLAN pools, and it cannot send IPv6 VXLAN traffic itself"),
        };
        if (eligible.Count > 0)
        {
            var names = string.Join(", ", eligible.Select(p => $"{p.Name} ({context.FindPool(p.Name)?.Facts.ModeLabel})"));
            return new NetworkFinding(Severity.Error, NetworkCheck.TunnelAddress, node.Name,
                $"{(eligible.Count == 1 ? "pool" : "pools")} {names} {(eligible.Count == 1 ? "selects" : "select")} {node.Name}, but it has no {field}: {consequence}.",
                $"Run Register-CalicoNode on {node.Name}: it assigns the tunnel address from {eligible[0].Name}, as calico-node does.");
        }
        var enabling = context.EffectivePools
            .Where(p => type == TunnelAddressType.IPIP ? p.Facts.CountsAsIPIP : p.Facts.CountsAsVXLAN && p.Facts.Family == TunnelAddressTypes.Family(type))
            .Select(p => p.Name).ToList();
        var by = enabling.Count == 0 ? "by FelixConfiguration" : $"by {(enabling.Count == 1 ? "pool" : "pools")} {string.Join(", ", enabling)}";
        return new NetworkFinding(Severity.Error, NetworkCheck.TunnelAddress, node.Name,
            $"{encapsulation} is on for every node ({by}), but no enabled {encapsulation} pool that allows tunnel addresses selects {node.Name}, so calico-node gives it no {field}: {consequence}.",
            $"Let {(type == TunnelAddressType.VXLAN ? "a" : "an")} {encapsulation} pool select {node.Name} (Set-CalicoIPPool -NodeSelector), then run Register-CalicoNode on {node.Name}.");
    }
}
