using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>The seed's three-node lab in each pool mode: the exact routes each node gets.</summary>
public class SeedRouteTests
{
    public static TheoryData<string, string, string[]> IPIPRows => new()
    {
        { "Always", "node1", [
            "blackhole 192.168.1.0/26 proto 80",
            "192.168.2.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480",
            "192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"] },
        { "Always", "node3", [
            "192.168.1.0/26 via 10.0.2.15 dev tunl0 onlink proto 80 mtu 1480",
            "192.168.2.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480",
            "blackhole 192.168.3.0/26 proto 80"] },
        { "CrossSubnet", "node1", [
            "blackhole 192.168.1.0/26 proto 80",
            "192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80",
            "192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"] },
        { "CrossSubnet", "node2", [
            "192.168.1.0/26 via 10.0.2.15 dev eth0 onlink proto 80",
            "blackhole 192.168.2.0/26 proto 80",
            "192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"] },
        { "CrossSubnet", "node3", [
            "192.168.1.0/26 via 10.0.2.15 dev tunl0 onlink proto 80 mtu 1480",
            "192.168.2.0/26 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480",
            "blackhole 192.168.3.0/26 proto 80"] },
    };

    [Theory]
    [MemberData(nameof(IPIPRows))]
    public void IPIP_pool_routes_each_node_gets(string mode, string localNode, string[] expected)
    {
        var plan = SeedLab.Plan(localNode, SeedLab.Nodes(), [SeedLab.IPIPPool(Enum.Parse<IPIPMode>(mode))]);
        Assert.Equal(expected, SeedLab.Lines(plan));
    }

    [Fact]
    public void Never_routes_same_subnet_peers_directly_and_reports_the_other_subnet_unreachable_without_BGP()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Never)]);
        Assert.Equal("blackhole 192.168.1.0/26 proto 80", plan.Routes[0].ToString());
        Assert.Equal("192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80", plan.Routes[1].ToString());
        var far = plan.Routes[2];
        Assert.Equal(PlannedRouteType.Unreachable, far.Type);
        Assert.False(far.IsProgrammed);
        Assert.Equal("node3", far.RemoteNode);
        Assert.Equal("Never: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24; "
            + "unencapsulated traffic to it needs BGP or a fabric route, so unreachable without BGP", far.Reason);
    }

    [Fact]
    public void Never_from_the_lone_node_on_lanB_reaches_nobody_without_BGP()
    {
        var plan = SeedLab.Plan("node3", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Never)]);
        Assert.Equal(
            [PlannedRouteType.Unreachable, PlannedRouteType.Unreachable, PlannedRouteType.Blackhole],
            plan.Routes.Select(r => r.Type));
    }

    public static TheoryData<string, string, string[]> VXLANRows => new()
    {
        { "Always", "node1", [
            "blackhole 192.168.1.0/26 proto 80",
            "192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto 3 mtu 1450",
            "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto 3 mtu 1450"] },
        { "CrossSubnet", "node1", [
            "blackhole 192.168.1.0/26 proto 80",
            "192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80",
            "192.168.3.0/26 via 192.168.3.0 dev vxlan.calico onlink proto 3 mtu 1450"] },
        { "CrossSubnet", "node3", [
            "192.168.1.0/26 via 192.168.1.0 dev vxlan.calico onlink proto 3 mtu 1450",
            "192.168.2.0/26 via 192.168.2.0 dev vxlan.calico onlink proto 3 mtu 1450",
            "blackhole 192.168.3.0/26 proto 80"] },
    };

    [Theory]
    [MemberData(nameof(VXLANRows))]
    public void VXLAN_pool_routes_each_node_gets(string mode, string localNode, string[] expected)
    {
        var plan = SeedLab.Plan(localNode, SeedLab.Nodes(), [SeedLab.VXLANPool(Enum.Parse<VXLANMode>(mode))],
            SeedLab.Blocks(AllocationTypes.VXLAN));
        Assert.Equal(expected, SeedLab.Lines(plan));
    }

    [Fact]
    public void VXLAN_gives_a_permanent_neighbour_and_fdb_entry_per_remote_VTEP()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)], SeedLab.Blocks(AllocationTypes.VXLAN));
        Assert.Equal(
            ["192.168.2.0 dev vxlan.calico lladdr 66:2d:bf:44:a6:8b nud permanent",
             "192.168.3.0 dev vxlan.calico lladdr 66:a4:6f:e0:c4:da nud permanent"],
            plan.Neighbours.Select(n => n.ToString()));
        Assert.Equal(
            ["66:2d:bf:44:a6:8b dev vxlan.calico dst 10.0.2.10 self permanent",
             "66:a4:6f:e0:c4:da dev vxlan.calico dst 10.0.3.20 self permanent"],
            plan.ForwardingEntries.Select(f => f.ToString()));
    }

    [Fact]
    public void IPIP_pool_gives_no_VXLAN_neighbours()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)]);
        Assert.Empty(plan.Neighbours);
        Assert.Empty(plan.ForwardingEntries);
    }

    [Fact]
    public void Reasons_say_why_each_route_is_what_it_is()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]);
        Assert.Equal("IPIP CrossSubnet: node2 (10.0.2.10) is in this node's subnet 10.0.2.0/24, so sent unencapsulated",
            SeedLab.Route(plan, "192.168.2.0/26").Reason);
        Assert.Equal("IPIP CrossSubnet: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24, so tunnelled",
            SeedLab.Route(plan, "192.168.3.0/26").Reason);
        Assert.Equal("local block of pool default-ipv4-ippool (IPIP CrossSubnet): addresses not given to a workload are dropped",
            SeedLab.Route(plan, "192.168.1.0/26").Reason);
    }

    [Fact]
    public void Routes_carry_their_node_pool_and_encapsulation()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]);
        var tunnelled = SeedLab.Route(plan, "192.168.3.0/26");
        Assert.True(tunnelled.Encapsulated);
        Assert.Equal(("node3", "default-ipv4-ippool", 80, 1480), (tunnelled.RemoteNode, tunnelled.Pool, tunnelled.Protocol, tunnelled.Mtu));
        var direct = SeedLab.Route(plan, "192.168.2.0/26");
        Assert.False(direct.Encapsulated);
        Assert.Null(direct.Mtu);
    }

    [Fact]
    public void Unknown_host_interface_is_left_for_the_dataplane_to_resolve()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)],
            settings: SeedLab.Settings with { HostInterface = null });
        Assert.Equal(PlannedRoute.HostInterface, SeedLab.Route(plan, "192.168.2.0/26").Device);
    }

    [Fact]
    public void A_configured_DeviceRouteProtocol_replaces_80_and_is_the_VXLAN_protocol_too()
    {
        var settings = SeedLab.Settings with { DeviceRouteProtocol = 99 };
        var ipip = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], settings: settings);
        Assert.All(ipip.Routes, r => Assert.Equal(99, r.Protocol));
        var vxlan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.VXLANPool(VXLANMode.Always)], SeedLab.Blocks(AllocationTypes.VXLAN), settings);
        Assert.All(vxlan.Routes, r => Assert.Equal(99, r.Protocol));
    }

    [Fact]
    public void Configured_tunnel_MTUs_replace_the_host_MTU_arithmetic()
    {
        var settings = SeedLab.Settings with { IPIPMTU = 1400 };
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], settings: settings);
        Assert.Equal(1400, SeedLab.Route(plan, "192.168.3.0/26").Mtu);
        var unknownHost = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], settings: RouteSettings.Default);
        Assert.Equal(1440, SeedLab.Route(unknownHost, "192.168.3.0/26").Mtu);
    }
}

internal static class AllocationTypes
{
    public const string VXLAN = Calico.Ipam.AllocationAttribute.TypeVXLAN;
}
