namespace Calico.Analysis.Checks;

/// <summary>
/// Pools that overlap: Calico refuses to create one (clientv3/ippool.go), but a datastore written by other means can
/// hold them. felix keys pools by CIDR, so of two pools with one CIDR only one is used; of nested pools, the inner one's
/// mode decides the routes to its part (l3_route_resolver.go:737-753).
/// </summary>
internal static class PoolOverlapCheck
{
    public static IEnumerable<NetworkFinding> Run(CheckContext context)
    {
        var shown = context.EffectivePools.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var pools = context.Pools;
        for (var i = 0; i < pools.Count; i++)
        {
            for (var j = i + 1; j < pools.Count; j++)
            {
                var (a, b) = (pools[i], pools[j]);
                if (!a.Facts.Cidr.Overlaps(b.Facts.Cidr)) continue;
                if (a.Facts.Cidr == b.Facts.Cidr)
                {
                    var (used, hidden) = shown.Contains(a.Name) ? (a, b) : (b, a);
                    yield return new NetworkFinding(Severity.Error, NetworkCheck.PoolOverlap, $"{a.Name} / {b.Name}",
                        $"pools {a.Name} and {b.Name} have the same CIDR {a.Facts.Cidr}: felix keys pools by CIDR, so it routes by {used.Name} ({used.Facts.ModeLabel}) and {hidden.Name}'s settings have no effect.",
                        $"Remove one of them (Remove-CalicoIPPool -Name {hidden.Name}).");
                    continue;
                }
                var (outer, inner) = a.Facts.Cidr.Contains(b.Facts.Cidr) ? (a, b) : (b, a);
                yield return new NetworkFinding(Severity.Error, NetworkCheck.PoolOverlap, $"{outer.Name} / {inner.Name}",
                    $"pool {inner.Name} ({inner.Facts.Cidr}, {inner.Facts.ModeLabel}) lies inside pool {outer.Name} ({outer.Facts.Cidr}, {outer.Facts.ModeLabel}); Calico refuses overlapping pools. felix routes {inner.Facts.Cidr} by {inner.Name}'s mode and the rest of {outer.Facts.Cidr} by {outer.Name}'s, and both pools can hand out the same addresses.",
                    $"Remove one of them (Remove-CalicoIPPool), after moving its workloads.");
            }
        }
    }
}
