using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>What about a pool decides routes, and what does not.</summary>
public class PoolRuleTests
{
    [Theory]
    [InlineData(IPIPMode.Always, VXLANMode.Never, PlannedRouteType.IPIP)]
    [InlineData(IPIPMode.Never, VXLANMode.Always, PlannedRouteType.VXLAN)]
    // Both set (which validation forbids): VXLAN wins, as in poolTypeForPool.
    [InlineData(IPIPMode.Always, VXLANMode.Always, PlannedRouteType.VXLAN)]
    [InlineData(IPIPMode.Never, VXLANMode.Never, PlannedRouteType.Direct)]
    public void Pool_type_is_VXLAN_before_IPIP_before_none(IPIPMode ipip, VXLANMode vxlan, PlannedRouteType expected)
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("p", SeedLab.PoolCidr, ipip, vxlan)]);
        Assert.Equal(expected, SeedLab.Route(plan, "192.168.2.0/26").Type);
    }

    [Fact]
    public void An_IPIP_CrossSubnet_mode_makes_a_VXLAN_Always_pool_cross_subnet()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("p", SeedLab.PoolCidr, IPIPMode.CrossSubnet, VXLANMode.Always)]);
        Assert.Equal(PlannedRouteType.Direct, SeedLab.Route(plan, "192.168.2.0/26").Type);
        Assert.Equal(PlannedRouteType.VXLAN, SeedLab.Route(plan, "192.168.3.0/26").Type);
    }

    [Fact]
    public void A_disabled_pool_still_routes_its_blocks()
    {
        var pool = SeedLab.Pool("p", SeedLab.PoolCidr, IPIPMode.Always, disabled: true);
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [pool]);
        Assert.Equal(PlannedRouteType.IPIP, SeedLab.Route(plan, "192.168.3.0/26").Type);
        Assert.Equal(PlannedRouteType.Blackhole, SeedLab.Route(plan, "192.168.1.0/26").Type);
        Assert.Equal(TunnelDeviceAction.Configure, plan.Devices.Single(d => d.Name == "tunl0").Action);
    }

    [Fact]
    public void A_node_selector_that_matches_no_node_changes_no_route()
    {
        // felix's resolver reads only CIDR, modes and natOutgoing from a pool (l3_route_resolver.go:618-623).
        var selective = SeedLab.Pool("p", SeedLab.PoolCidr, IPIPMode.CrossSubnet, nodeSelector: "rack == 'nowhere'");
        var everywhere = SeedLab.Pool("p", SeedLab.PoolCidr, IPIPMode.CrossSubnet);
        foreach (var node in new[] { "node1", "node2", "node3" })
        {
            Assert.Equal(SeedLab.Lines(SeedLab.Plan(node, SeedLab.Nodes(), [everywhere])),
                SeedLab.Lines(SeedLab.Plan(node, SeedLab.Nodes(), [selective])));
        }
    }

    [Fact]
    public void A_LoadBalancer_only_pool_gets_no_routes()
    {
        var pool = SeedLab.Pool("lb", SeedLab.PoolCidr, IPIPMode.Always, uses: [IPPoolAllowedUse.LoadBalancer]);
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [pool]);
        var toNode3 = SeedLab.Route(plan, "192.168.3.0/26");
        Assert.Equal(PlannedRouteType.Unreachable, toNode3.Type);
        Assert.Equal("pool lb is LoadBalancer-only, which has no route type (l3_route_resolver.go:626-632)", toNode3.Reason);
        Assert.DoesNotContain(plan.Routes, r => r.Type == PlannedRouteType.Blackhole);
    }

    [Fact]
    public void A_block_in_no_pool_is_reported_unreachable()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("other", "10.99.0.0/16", IPIPMode.Always)]);
        Assert.StartsWith("in no IP pool", SeedLab.Route(plan, "192.168.3.0/26").Reason);
        Assert.Null(SeedLab.Route(plan, "192.168.3.0/26").Pool);
    }

    [Fact]
    public void The_innermost_typed_pool_decides_and_an_untyped_inner_pool_does_not()
    {
        // felix walks the pools on the path widest first; the last one with a type sets it.
        var outer = SeedLab.Pool("outer", "192.168.0.0/16", IPIPMode.Always);
        var inner = SeedLab.Pool("inner", "192.168.2.0/24", vxlan: VXLANMode.Always);
        var lb = SeedLab.Pool("lb", "192.168.3.0/24", uses: [IPPoolAllowedUse.LoadBalancer]);
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [outer, inner, lb]);
        Assert.Equal(("inner", PlannedRouteType.VXLAN), (SeedLab.Route(plan, "192.168.2.0/26").Pool, SeedLab.Route(plan, "192.168.2.0/26").Type));
        Assert.Equal(("outer", PlannedRouteType.IPIP), (SeedLab.Route(plan, "192.168.3.0/26").Pool, SeedLab.Route(plan, "192.168.3.0/26").Type));
    }

    [Fact]
    public void Two_pools_with_one_CIDR_are_one_pool_to_felix_and_the_first_by_name_is_used()
    {
        var a = SeedLab.Pool("a", SeedLab.PoolCidr, IPIPMode.Always);
        var b = SeedLab.Pool("b", SeedLab.PoolCidr, vxlan: VXLANMode.Always);
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [b, a]);
        Assert.Equal(PlannedRouteType.IPIP, SeedLab.Route(plan, "192.168.3.0/26").Type);
        Assert.Contains(plan.Findings, f => f.Message.StartsWith("pool b has the same CIDR 192.168.0.0/16 as pool a"));
    }

    [Fact]
    public void A_pool_whose_CIDR_does_not_parse_is_ignored_and_reported()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("bad", "192.168.0.0"), SeedLab.IPIPPool(IPIPMode.Always)]);
        Assert.Contains(plan.Findings, f => f.Message == "pool bad: spec.cidr '192.168.0.0' is not a CIDR: the pool is ignored");
        Assert.Equal(PlannedRouteType.IPIP, SeedLab.Route(plan, "192.168.3.0/26").Type);
    }

    [Theory]
    [InlineData(ProgramClusterRoutes.EnabledIPIPOnly, IPIPMode.Never, "Never: programClusterRoutes EnabledIPIPOnly leaves unencapsulated pools to BGP (BIRD), so unreachable without BGP")]
    [InlineData(ProgramClusterRoutes.Disabled, IPIPMode.Always, "IPIP Always: programClusterRoutes Disabled leaves IPIP routes to BIRD, so unreachable without BGP")]
    [InlineData(ProgramClusterRoutes.EnabledNoEncapOnly, IPIPMode.CrossSubnet, "IPIP CrossSubnet: programClusterRoutes EnabledNoEncapOnly leaves IPIP routes to BIRD, so unreachable without BGP")]
    public void Routes_left_to_BIRD_are_reported_and_get_no_blackhole(ProgramClusterRoutes program, IPIPMode mode, string reason)
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(mode)],
            settings: SeedLab.Settings with { ProgramClusterRoutes = program });
        Assert.Equal(reason, SeedLab.Route(plan, "192.168.2.0/26").Reason);
        Assert.DoesNotContain(plan.Routes, r => r.IsProgrammed);
    }

    [Fact]
    public void ipipEnabled_false_turns_IPIP_routes_off_even_with_an_IPIP_pool()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)],
            settings: SeedLab.Settings with { IPIPEnabled = false });
        Assert.StartsWith("IPIP Always: IPIP is off (FelixConfiguration ipipEnabled: false)", SeedLab.Route(plan, "192.168.3.0/26").Reason);
    }
}
