namespace Calico.Analysis.Checks;

/// <summary>
/// Nodes whose IPv4 address felix cannot use: none at all while IPv4 pools exist (no peer can route to the node's
/// workloads), or one written without a prefix length, which felix ignores as host metadata (dataplane_passthru.go:168-185)
/// so that peers have no address to send IP-in-IP to.
/// </summary>
internal static class NodeAddressCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        var v4Pools = context.EffectivePools.Where(p => p.Facts.Family == 4 && !p.Facts.LoadBalancerOnly).ToList();
        if (v4Pools.Count == 0) yield break;
        var ipip = context.Encapsulation.IPIPEnabled;
        foreach (var node in context.Nodes)
        {
            if (node.Facts.V4 is null)
            {
                yield return new NetworkFinding(Severity.Error, NetworkCheck.NodeAddress, node.Name,
                    $"{node.Name} has no IPv4 address (spec.bgp.ipv4Address, or an InternalIP or ExternalIP address), so no node can route to its workloads in {Pools(v4Pools)}, and it cannot find its own host interface.",
                    $"Set-CalicoNode -Name {node.Name} -IPv4Address <address>/<prefix length>, or run Register-CalicoNode on {node.Name}, which detects it.");
            }
            else if (node.Facts.IgnoredBareAddressV4 is { } bare)
            {
                yield return new NetworkFinding(ipip ? Severity.Error : Severity.Warning, NetworkCheck.NodeAddress, node.Name,
                    $"{node.Name}'s spec.bgp.ipv4Address '{bare}' has no prefix length. felix ignores such an address as the node's host address (dataplane_passthru.go:168-185), so {node.Name} cannot find its host interface"
                    + (ipip ? " and no node has an address to send IP-in-IP to it." : "."),
                    $"Set-CalicoNode -Name {node.Name} -IPv4Address {bare}/<prefix length of its subnet>, or run Register-CalicoNode on {node.Name}.");
            }
        }
    }

    internal static string Pools(IReadOnlyCollection<CheckedPool> pools) =>
        (pools.Count == 1 ? "pool " : "pools ") + string.Join(", ", pools.Select(p => p.Name));
}
