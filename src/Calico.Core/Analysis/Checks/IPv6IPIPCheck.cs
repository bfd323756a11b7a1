namespace Calico.Analysis.Checks;

/// <summary>
/// IPv6 pools with an IPIP mode: IP-in-IP carries only IPv4, so felix programs no route to such a pool's blocks on
/// other nodes (ipip_mgr.go:86-89), while the mode still turns IP-in-IP on for every node (encapsulation_resolver.go:233-260).
/// Calico refuses the combination; a datastore written by other means can hold it.
/// </summary>
internal static class IPv6IPIPCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var pool in context.Pools.Where(p => p.Facts.Family == 6 && p.Facts.CountsAsIPIP && !p.Facts.CountsAsVXLAN))
        {
            yield return new NetworkFinding(Severity.Error, NetworkCheck.IPv6IPIP, pool.Name,
                $"IPv6 pool {pool.Name} ({pool.Facts.Cidr}) has ipipMode {pool.Facts.IPIPMode}, but IP-in-IP carries only IPv4: no node has a route to the pool's workloads on other nodes, and the mode still turns IP-in-IP on for every node.",
                $"Set-CalicoIPPool -Name {pool.Name} -IPIPMode Never -VXLANMode {pool.Facts.IPIPMode} (VXLAN carries IPv6), or -IPIPMode Never alone on a fabric that routes the pool.");
        }
    }
}
