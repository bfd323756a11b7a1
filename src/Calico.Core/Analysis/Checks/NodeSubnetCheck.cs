namespace Calico.Analysis.Checks;

/// <summary>
/// The seed's pre-v2.1 problem: a node stored as /32 (no subnet) while a pool of that family is CrossSubnet. felix's
/// same-subnet test uses only the sender's own prefix (l3_route_resolver.go:900-919), so such a node tunnels to every
/// peer while the peers on its subnet send to it unencapsulated. A bare address is the NodeAddress check's.
/// </summary>
internal static class NodeSubnetCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var family in new[] { 4, 6 })
        {
            var crossSubnet = context.EffectivePools.Where(p => p.Facts.Family == family && p.Facts.CrossSubnet).ToList();
            if (crossSubnet.Count == 0) continue;
            foreach (var node in context.Nodes)
            {
                var address = node.Facts.Address(family);
                if (address is null || address.HasSubnet || family == 4 && node.Facts.IgnoredBareAddressV4 is not null) continue;
                var field = family == 4 ? "spec.bgp.ipv4Address" : "spec.bgp.ipv6Address";
                var parameter = family == 4 ? "-IPv4Address" : "-IPv6Address";
                yield return new NetworkFinding(Severity.Error, NetworkCheck.NodeSubnet, node.Name,
                    $"{node.Name}'s {field} is stored as {address.Text}, with no subnet, and {NodeAddressCheck.Pools(crossSubnet)} {(crossSubnet.Count == 1 ? "is" : "are")} CrossSubnet: {node.Name} counts no peer as same-subnet and tunnels to all of them, while peers on its subnet send to it unencapsulated (the pre-v2.1 problem).",
                    $"Set-CalicoNode -Name {node.Name} {parameter} {address.Address}/<prefix length of its subnet>, or run Register-CalicoNode on {node.Name}, which detects it.");
            }
        }
    }
}
