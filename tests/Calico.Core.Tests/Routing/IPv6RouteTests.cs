using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>IPv6 pools: no IPIP; VXLAN on vxlan-v6.calico with its own VTEPs and MTU; direct routes and blackholes.</summary>
public class IPv6RouteTests
{
    private static Node[] DualStackNodes() =>
    [
        SeedLab.Node("node1", "10.0.2.15/24", "192.168.1.0", ipv6: "fd00:2::15/64", tunnelV6: "fd00:a:0:1::"),
        SeedLab.Node("node2", "10.0.2.10/24", "192.168.2.0", ipv6: "fd00:2::10/64", tunnelV6: "fd00:a:0:2::"),
        SeedLab.Node("node3", "10.0.3.20/24", "192.168.3.0", ipv6: "fd00:3::20/64", tunnelV6: "fd00:a:0:3::"),
    ];

    private static AllocationBlock[] V6Blocks() =>
    [
        SeedLab.Block("fd00:a:0:1::/122", "node1", ("fd00:a:0:1::", "node1", AllocationAttribute.TypeVXLANV6)),
        SeedLab.Block("fd00:a:0:2::/122", "node2", ("fd00:a:0:2::", "node2", AllocationAttribute.TypeVXLANV6)),
        SeedLab.Block("fd00:a:0:3::/122", "node3", ("fd00:a:0:3::", "node3", AllocationAttribute.TypeVXLANV6)),
    ];

    private static RoutePlan PlanV6(string local, IPPool pool, RouteSettings? settings = null) =>
        SeedLab.Plan(local, DualStackNodes(), [pool], V6Blocks(), settings);

    [Fact]
    public void VXLAN_CrossSubnet_v6_goes_direct_in_the_v6_subnet_and_over_vxlan_v6_calico_across()
    {
        var plan = PlanV6("node1", SeedLab.Pool("v6", "fd00:a::/48", vxlan: VXLANMode.CrossSubnet));
        Assert.Equal(
            ["blackhole fd00:a:0:1::/122 proto 80",
             "fd00:a:0:2::/122 via fd00:2::10 dev eth0 onlink proto 80",
             "fd00:a:0:3::/122 via fd00:a:0:3:: dev vxlan-v6.calico onlink proto 3 mtu 1430"],
            SeedLab.Lines(plan));
    }

    [Fact]
    public void VXLAN_v6_has_its_own_neighbours_with_MACs_hashed_from_the_name_plus_v6()
    {
        var plan = PlanV6("node1", SeedLab.Pool("v6", "fd00:a::/48", vxlan: VXLANMode.Always));
        Assert.Equal(
            ["fd00:a:0:2:: dev vxlan-v6.calico lladdr 66:32:42:ed:de:d5 nud permanent",
             "fd00:a:0:3:: dev vxlan-v6.calico lladdr 66:71:6e:25:e2:07 nud permanent"],
            plan.Neighbours.Select(n => n.ToString()));
        Assert.Equal("66:71:6e:25:e2:07 dev vxlan-v6.calico dst fd00:3::20 self permanent", plan.ForwardingEntries[1].ToString());
        var device = plan.Devices.Single(d => d.Name == TunnelDevicePlan.VXLANDeviceV6);
        Assert.Equal((TunnelDeviceAction.Configure, "fd00:a:0:1::/128", 1430, "66:0f:35:f2:60:df"),
            (device.Action, device.Address.ToString(), device.Mtu, device.Mac));
        // The IPv4 VXLAN device is not needed for an IPv6-only VXLAN pool.
        Assert.Equal(TunnelDeviceAction.Delete, plan.Devices.Single(d => d.Name == TunnelDevicePlan.VXLANDevice).Action);
    }

    [Fact]
    public void Never_v6_routes_on_link_peers_directly()
    {
        var plan = PlanV6("node1", SeedLab.Pool("v6", "fd00:a::/48"));
        Assert.Equal("fd00:a:0:2::/122 via fd00:2::10 dev eth0 onlink proto 80", SeedLab.Route(plan, "fd00:a:0:2::/122").ToString());
        Assert.Equal(PlannedRouteType.Unreachable, SeedLab.Route(plan, "fd00:a:0:3::/122").Type);
    }

    [Fact]
    public void An_IPIP_v6_pool_gets_no_routes_because_IPIP_is_IPv4_only()
    {
        var plan = PlanV6("node1", SeedLab.Pool("v6", "fd00:a::/48", IPIPMode.Always));
        var route = SeedLab.Route(plan, "fd00:a:0:3::/122");
        Assert.Equal(PlannedRouteType.Unreachable, route.Type);
        Assert.Equal("IPIP Always: IP-in-IP carries only IPv4 (ipip_mgr.go:86-89)", route.Reason);
        Assert.DoesNotContain(plan.Routes, r => r.Type == PlannedRouteType.Blackhole);
    }

    [Fact]
    public void Without_IPv6_support_v6_pools_get_nothing()
    {
        var plan = PlanV6("node1", SeedLab.Pool("v6", "fd00:a::/48", vxlan: VXLANMode.Always), SeedLab.Settings with { IPv6Support = false });
        Assert.All(plan.Routes, r => Assert.Equal(PlannedRouteType.Unreachable, r.Type));
        Assert.Empty(plan.Neighbours);
        Assert.Equal(TunnelDeviceAction.LeaveAlone, plan.Devices.Single(d => d.Name == TunnelDevicePlan.VXLANDeviceV6).Action);
        Assert.Single(plan.Nat);
    }

    [Fact]
    public void A_borrowed_v6_address_gets_a_128()
    {
        AllocationBlock[] blocks = [SeedLab.Block("fd00:a:0:1::/122", "node1", ("fd00:a:0:1::7", "node3", null))];
        var plan = SeedLab.Plan("node2", DualStackNodes(), [SeedLab.Pool("v6", "fd00:a::/48", vxlan: VXLANMode.Always)], blocks);
        Assert.Equal("fd00:a:0:1::7/128 via fd00:a:0:3:: dev vxlan-v6.calico onlink proto 3 mtu 1430", SeedLab.Route(plan, "fd00:a:0:1::7/128").ToString());
    }
}
