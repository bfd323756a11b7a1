namespace Calico.Routing;

/// <summary>The outgoing-NAT sets, as felix's masquerade manager fills them (felix/dataplane/linux/masq_mgr.go:87-147).</summary>
internal static class NatPlanner
{
    public static IReadOnlyList<NatSets> Plan(PoolIndex pools, RouteSettings settings) =>
        settings.IPv6Support ? [ForFamily(pools, 4), ForFamily(pools, 6)] : [ForFamily(pools, 4)];

    private static NatSets ForFamily(PoolIndex pools, int family)
    {
        // One manager per family; pools of the other family are skipped (masq_mgr.go:122-127).
        var ofFamily = pools.Effective.Where(p => p.Family == family).OrderBy(p => p.Key).ToList();
        // IP set names: "cali" + family + "0" + ID, at most 31 characters (felix/ipsets/ipset_defs.go:67,214-277).
        var prefix = $"cali{family}0";
        return new NatSets
        {
            Family = family,
            AllPoolsSetName = prefix + "network-ip-pools",
            LegacyAllPoolsSetName = prefix + "all-ipam-pools",
            // Disabled pools stay in both sets: nothing here looks at Disabled. LoadBalancer-only pools are left out of
            // the all-pools set only, so traffic to them is still masqueraded (masq_mgr.go:129-143).
            AllPools = ofFamily.Where(p => !p.LoadBalancerOnly).Select(p => p.Cidr).ToList(),
            MasqueradeSetName = prefix + "masq-ipam-pools",
            MasqueradePools = ofFamily.Where(p => p.NatOutgoing).Select(p => p.Cidr).ToList(),
        };
    }
}
