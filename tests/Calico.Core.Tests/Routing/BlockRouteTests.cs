using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Tests.Routing;

/// <summary>Routes from IPAM blocks: affinity, borrowed addresses, blackholes.</summary>
public class BlockRouteTests
{
    private static readonly IPPool Always = SeedLab.IPIPPool(IPIPMode.Always);

    /// <summary>node3 has borrowed 192.168.1.5 from node1's block.</summary>
    private static AllocationBlock[] WithBorrowed() =>
    [
        SeedLab.Block("192.168.1.0/26", "node1", ("192.168.1.0", "node1", AllocationAttribute.TypeIPIP), ("192.168.1.5", "node3", null)),
        SeedLab.Block("192.168.2.0/26", "node2", ("192.168.2.0", "node2", AllocationAttribute.TypeIPIP)),
        SeedLab.Block("192.168.3.0/26", "node3", ("192.168.3.0", "node3", AllocationAttribute.TypeIPIP)),
    ];

    [Fact]
    public void A_borrowed_address_gets_a_32_to_the_borrower_on_every_other_node()
    {
        var onNode2 = SeedLab.Plan("node2", SeedLab.Nodes(), [Always], WithBorrowed());
        Assert.Equal(
            ["192.168.1.0/26 via 10.0.2.15 dev tunl0 onlink proto 80 mtu 1480",
             "192.168.1.5/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480",
             "blackhole 192.168.2.0/26 proto 80",
             "192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"],
            SeedLab.Lines(onNode2));
        Assert.Equal("192.168.1.5 of node3, in node1's block 192.168.1.0/26: IPIP Always: tunnelled to node3 (10.0.3.20)",
            SeedLab.Route(onNode2, "192.168.1.5/32").Reason);
    }

    [Fact]
    public void The_lending_node_keeps_its_blackhole_and_routes_the_borrowed_address_out()
    {
        var onNode1 = SeedLab.Plan("node1", SeedLab.Nodes(), [Always], WithBorrowed());
        Assert.Equal("blackhole 192.168.1.0/26 proto 80", SeedLab.Route(onNode1, "192.168.1.0/26").ToString());
        Assert.Equal("192.168.1.5/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480", SeedLab.Route(onNode1, "192.168.1.5/32").ToString());
    }

    [Fact]
    public void The_borrower_plans_no_route_to_its_own_address()
    {
        var onNode3 = SeedLab.Plan("node3", SeedLab.Nodes(), [Always], WithBorrowed());
        Assert.DoesNotContain(onNode3.Routes, r => r.Destination.ToString() == "192.168.1.5/32");
        Assert.Contains(onNode3.Findings, f => f.Node == "node3" && f.Severity == FindingSeverity.Information
            && f.Message.StartsWith("192.168.1.5/32 is this node's own address in node1's block 192.168.1.0/26"));
    }

    [Fact]
    public void A_block_without_affinity_gives_only_its_allocations()
    {
        AllocationBlock[] blocks = [SeedLab.Block("192.168.9.0/26", null, ("192.168.9.1", "node2", null), ("192.168.9.2", "node3", null))];
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [Always], blocks);
        Assert.Equal(
            ["192.168.9.1/32 via 10.0.2.10 dev tunl0 onlink proto 80 mtu 1480",
             "192.168.9.2/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"],
            SeedLab.Lines(plan));
        Assert.StartsWith("192.168.9.1 of node2, in unowned block 192.168.9.0/26: ", plan.Routes[0].Reason);
    }

    [Fact]
    public void An_allocation_naming_no_node_cannot_be_routed()
    {
        var block = SeedLab.Block("192.168.9.0/26", null, ("192.168.9.1", "node2", null));
        block.Attributes![0].Secondary!.Remove(AllocationAttribute.NodeKey);
        Assert.Empty(SeedLab.Plan("node1", SeedLab.Nodes(), [Always], [block]).Routes);
    }

    [Fact]
    public void A_block_affine_to_an_unknown_node_is_unreachable()
    {
        AllocationBlock[] blocks = [SeedLab.Block("192.168.7.0/26", "node7")];
        var route = SeedLab.Plan("node1", SeedLab.Nodes(), [Always], blocks).Routes.Single();
        Assert.Equal(PlannedRouteType.Unreachable, route.Type);
        Assert.Equal("IPIP Always: node7 is not in the datastore, so there is no address to tunnel to", route.Reason);
    }

    [Fact]
    public void Every_local_block_gets_a_blackhole_but_a_32_block_does_not()
    {
        AllocationBlock[] blocks =
        [
            SeedLab.Block("192.168.1.0/26", "node1"),
            SeedLab.Block("192.168.1.64/26", "node1"),
            // A /32 blackhole would stop CNI adding the workload route (route_mgr.go:288-292).
            SeedLab.Block("192.168.1.200/32", "node1"),
        ];
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [Always], blocks);
        Assert.Equal(["blackhole 192.168.1.0/26 proto 80", "blackhole 192.168.1.64/26 proto 80"], SeedLab.Lines(plan));
    }

    [Fact]
    public void A_blackhole_carries_the_configured_protocol()
    {
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [Always], settings: SeedLab.Settings with { DeviceRouteProtocol = 42 });
        Assert.Equal("blackhole 192.168.1.0/26 proto 42", SeedLab.Route(plan, "192.168.1.0/26").ToString());
    }

    [Fact]
    public void A_borrowed_VXLAN_tunnel_address_is_routed_straight_on_the_VXLAN_device()
    {
        // node3's VTEP address came from node1's block (vxlan_mgr.go:267-276: no gateway, scope link).
        AllocationBlock[] blocks =
        [
            SeedLab.Block("192.168.1.0/26", "node1", ("192.168.1.0", "node1", AllocationAttribute.TypeVXLAN), ("192.168.1.9", "node3", AllocationAttribute.TypeVXLAN)),
            SeedLab.Block("192.168.3.0/26", "node3"),
        ];
        Node[] nodes = [SeedLab.Node("node1", "10.0.2.15/24", "192.168.1.0"), SeedLab.Node("node3", "10.0.3.20/24", "192.168.1.9")];
        var plan = SeedLab.Plan("node1", nodes, [SeedLab.VXLANPool(VXLANMode.Always)], blocks);
        var tunnelAddress = SeedLab.Route(plan, "192.168.1.9/32");
        Assert.Equal("192.168.1.9/32 dev vxlan.calico proto 3 scope link mtu 1450", tunnelAddress.ToString());
        Assert.Equal(PlannedRouteType.VXLANTunnelAddress, tunnelAddress.Type);
        Assert.Equal("192.168.3.0/26 via 192.168.1.9 dev vxlan.calico onlink proto 3 mtu 1450", SeedLab.Route(plan, "192.168.3.0/26").ToString());
    }

    [Fact]
    public void A_tunnel_address_inside_another_nodes_block_without_an_allocation_is_still_routed_as_borrowed()
    {
        // felix's resolver flags it borrowed from its tunnel-address entry alone (l3_route_resolver.go:797-807).
        AllocationBlock[] blocks = [SeedLab.Block("192.168.1.0/26", "node1"), SeedLab.Block("192.168.3.0/26", "node3")];
        Node[] nodes = [SeedLab.Node("node1", "10.0.2.15/24", "192.168.1.0"), SeedLab.Node("node3", "10.0.3.20/24", "192.168.1.9")];
        var plan = SeedLab.Plan("node2", [.. nodes, SeedLab.Node("node2", "10.0.2.10/24")], [SeedLab.IPIPPool(IPIPMode.Always)], blocks);
        Assert.Equal("192.168.1.9/32 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480", SeedLab.Route(plan, "192.168.1.9/32").ToString());
    }

    [Fact]
    public void A_node_address_inside_a_block_is_never_routed_as_a_workload()
    {
        // A host address does not take the block's workload type (l3_route_resolver.go:849-863).
        AllocationBlock[] blocks = [SeedLab.Block("10.0.3.0/26", null, ("10.0.3.20", "node3", null))];
        var plan = SeedLab.Plan("node1", SeedLab.Nodes(), [SeedLab.Pool("p", "10.0.0.0/16", IPIPMode.Always)], blocks);
        Assert.Empty(plan.Routes);
    }
}
