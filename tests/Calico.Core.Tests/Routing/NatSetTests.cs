using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>The outgoing-NAT sets as felix's masquerade manager builds them.</summary>
public class NatSetTests
{
    private static IReadOnlyList<NatSets> Nat(params IPPool[] pools) => SeedLab.Plan("node1", SeedLab.Nodes(), pools).Nat;

    [Fact]
    public void Disabled_pools_count_in_both_sets_and_LoadBalancer_only_pools_are_masqueraded_but_not_excluded()
    {
        var v4 = Nat(
            SeedLab.Pool("default", "192.168.0.0/16", IPIPMode.CrossSubnet, nat: true),
            SeedLab.Pool("retired", "10.10.0.0/16", IPIPMode.Always, nat: true, disabled: true),
            SeedLab.Pool("lb", "172.16.0.0/16", nat: true, uses: [IPPoolAllowedUse.LoadBalancer]),
            SeedLab.Pool("no-nat", "10.20.0.0/16"),
            SeedLab.Pool("v6", "fd00:a::/48", vxlan: VXLANMode.Always, nat: true))[0];
        Assert.Equal(4, v4.Family);
        Assert.Equal("cali40masq-ipam-pools", v4.MasqueradeSetName);
        Assert.Equal(["10.10.0.0/16", "172.16.0.0/16", "192.168.0.0/16"], v4.MasqueradePools.Select(p => p.ToString()));
        Assert.Equal("cali40network-ip-pools", v4.AllPoolsSetName);
        Assert.Equal(["10.10.0.0/16", "10.20.0.0/16", "192.168.0.0/16"], v4.AllPools.Select(p => p.ToString()));
        Assert.Equal("cali40all-ipam-pools", v4.LegacyAllPoolsSetName);
        Assert.True(v4.Masquerades);
    }

    [Fact]
    public void Each_family_has_its_own_sets()
    {
        var nat = Nat(SeedLab.Pool("default", "192.168.0.0/16", nat: true), SeedLab.Pool("v6", "fd00:a::/48", nat: true));
        Assert.Equal([4, 6], nat.Select(n => n.Family));
        Assert.Equal(("cali60masq-ipam-pools", "cali60network-ip-pools"), (nat[1].MasqueradeSetName, nat[1].AllPoolsSetName));
        Assert.Equal(["fd00:a::/48"], nat[1].MasqueradePools.Select(p => p.ToString()));
        Assert.Equal(["192.168.0.0/16"], nat[0].AllPools.Select(p => p.ToString()));
    }

    [Fact]
    public void Without_natOutgoing_pools_the_chain_has_no_masquerade_rule_but_the_pools_are_still_listed()
    {
        var v4 = Nat(SeedLab.Pool("default", "192.168.0.0/16", IPIPMode.Always))[0];
        Assert.False(v4.Masquerades);
        Assert.Empty(v4.MasqueradePools);
        Assert.Single(v4.AllPools);
    }

    [Fact]
    public void Set_names_fit_the_ipset_limit_of_31_characters()
    {
        foreach (var sets in Nat(SeedLab.Pool("default", "192.168.0.0/16", nat: true)))
        {
            Assert.All(new[] { sets.AllPoolsSetName, sets.MasqueradeSetName, sets.LegacyAllPoolsSetName }, n => Assert.InRange(n.Length, 1, 31));
        }
    }
}
