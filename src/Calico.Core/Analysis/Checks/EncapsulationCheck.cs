namespace Calico.Analysis.Checks;

/// <summary>
/// How the pools' modes combine, as felix's encapsulation resolver combines them (encapsulation_resolver.go:233-287):
/// it counts IPIP and VXLAN pools separately and turns each on for every node when any pool uses it, so IPIP and VXLAN
/// pools can coexist (as during a migration). What conflicts is one pool with both on: Calico refuses it, felix routes
/// it as VXLAN (l3_route_resolver.go:626-640) yet still turns IPIP on everywhere, and calico-node gives the nodes it
/// selects both tunnel addresses.
/// </summary>
internal static class EncapsulationCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var pool in context.Pools.Where(p => p.Facts.CountsAsIPIP && p.Facts.CountsAsVXLAN))
        {
            yield return new NetworkFinding(Severity.Error, NetworkCheck.Encapsulation, pool.Name,
                $"pool {pool.Name} has both ipipMode {pool.Facts.IPIPMode} and vxlanMode {pool.Facts.VXLANMode}; Calico refuses this. felix routes its blocks by VXLAN, yet still turns IP-in-IP on for every node, and the nodes it selects are given both tunnel addresses.",
                $"Set-CalicoIPPool -Name {pool.Name} -IPIPMode Never to keep VXLAN, or -VXLANMode Never to keep IP-in-IP.");
        }
        var effective = context.EffectivePools.Where(p => p.Facts.Family == 4 && !(p.Facts.CountsAsIPIP && p.Facts.CountsAsVXLAN)).ToList();
        foreach (var ipip in effective.Where(p => p.Facts.CountsAsIPIP))
        {
            foreach (var vxlan in effective.Where(p => p.Facts.CountsAsVXLAN))
            {
                var both = SharedNodes(context, ipip, vxlan);
                var shared = both is null ? "" : $" {both.Count} of the {context.Nodes.Count} nodes are selected by both and get both tunnel addresses.";
                yield return new NetworkFinding(Severity.Information, NetworkCheck.Encapsulation, $"{ipip.Name} / {vxlan.Name}",
                    $"pool {ipip.Name} uses IP-in-IP ({ipip.Facts.IPIPMode}) and pool {vxlan.Name} uses VXLAN ({vxlan.Facts.VXLANMode}): felix runs tunl0 and vxlan.calico on every node and reaches each pool's workloads with that pool's encapsulation. Calico allows this, as while moving from one to the other; the fabric must pass both IP protocol 4 and UDP port {context.Settings.VXLANPort}.{shared}",
                    $"Nothing, if this is a migration; when it is done, set the remaining pools to one encapsulation (Set-CalicoIPPool -IPIPMode / -VXLANMode).");
            }
        }
    }

    private static List<CheckedNode>? SharedNodes(CheckContext context, CheckedPool a, CheckedPool b)
    {
        var first = context.SelectedNodes(a);
        var second = context.SelectedNodes(b);
        if (first is null || second is null) return null;
        var names = second.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        return first.Where(n => names.Contains(n.Name)).ToList();
    }
}
