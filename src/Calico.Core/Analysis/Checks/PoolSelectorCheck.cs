namespace Calico.Analysis.Checks;

/// <summary>
/// Pools no node can take addresses from: a nodeSelector that does not parse (IPAM skips the pool) or one that selects
/// none of the nodes. Disabled and LoadBalancer-only pools give nodes no addresses anyway and are left out.
/// </summary>
internal static class PoolSelectorCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        foreach (var pool in context.Pools)
        {
            if (pool.Pool.Disabled || pool.Facts.LoadBalancerOnly) continue;
            var selector = pool.Pool.Spec.NodeSelector;
            var selected = context.SelectedNodes(pool);
            if (selected is null)
            {
                yield return new NetworkFinding(Severity.Error, NetworkCheck.PoolSelector, pool.Name,
                    $"pool {pool.Name}'s nodeSelector '{selector}' is not a valid selector: IPAM skips the pool, so no address comes from it.",
                    $"Set-CalicoIPPool -Name {pool.Name} -NodeSelector <selector> with a valid selector, such as 'all()'.");
            }
            else if (selected.Count == 0 && context.Nodes.Count > 0)
            {
                yield return new NetworkFinding(Severity.Warning, NetworkCheck.PoolSelector, pool.Name,
                    $"pool {pool.Name}'s nodeSelector '{selector}' selects none of the {context.Nodes.Count} nodes, so no workload or tunnel address comes from it.",
                    $"Get-CalicoNode -Selector '{selector}' shows what it selects; Set-CalicoIPPool -Name {pool.Name} -NodeSelector <selector> to select the nodes meant, such as 'all()'.");
            }
        }
    }
}
