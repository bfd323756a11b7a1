using Calico.Analysis;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Tests.Analysis;

/// <summary>What a pool or node change would do to every node's routes, planned before it is written.</summary>
public sealed class RoutePreviewTests
{
    private static ClusterSnapshot Seed(IPIPMode mode, string node2Address = "10.0.2.10/24") =>
        new(SeedLab.Nodes(node2Address), [SeedLab.IPIPPool(mode)], SeedLab.Blocks());

    private static string[] Lines(RoutePreview preview) => preview.Changes.Select(c => c.ToString()).ToArray();

    [Fact]
    public void Always_to_CrossSubnet_switches_the_lanA_pair_to_direct_and_keeps_node3_tunnelled()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.Always), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], SeedLab.Settings);
        Assert.Equal(
            ["node1: 192.168.2.0/26 via 10.0.2.10 dev tunl0 (IPIP) → via 10.0.2.10 dev eth0 (direct) (IPIP CrossSubnet: node2 (10.0.2.10) is in this node's subnet 10.0.2.0/24, so sent unencapsulated)",
             "node2: 192.168.1.0/26 via 10.0.2.15 dev tunl0 (IPIP) → via 10.0.2.15 dev eth0 (direct) (IPIP CrossSubnet: node1 (10.0.2.15) is in this node's subnet 10.0.2.0/24, so sent unencapsulated)"],
            Lines(preview));
        Assert.All(preview.Changes, c => Assert.Equal(RouteChangeKind.Changes, c.Kind));
        Assert.Equal([new("node1", 1), new("node2", 1), new KeyValuePair<string, int>("node3", 0)], preview.CountByNode);
    }

    [Fact]
    public void CrossSubnet_to_Never_makes_the_cross_subnet_pairs_unreachable_and_keeps_lanA_direct()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.CrossSubnet), [SeedLab.IPIPPool(IPIPMode.Never)], SeedLab.Settings);
        Assert.Equal(
            [("node1", "192.168.3.0/26"), ("node2", "192.168.3.0/26"), ("node3", "192.168.1.0/26"), ("node3", "192.168.2.0/26")],
            preview.Changes.Select(c => (c.Node, c.Destination.ToString())));
        var node1 = preview.Changes[0];
        Assert.Equal(PlannedRouteType.IPIP, node1.Before!.Type);
        Assert.Equal(PlannedRouteType.Unreachable, node1.After!.Type);
        Assert.Equal("node1: 192.168.3.0/26 via 10.0.3.20 dev tunl0 (IPIP) → unreachable (Never: node3 (10.0.3.20) is outside this node's subnet 10.0.2.0/24; unencapsulated traffic to it needs BGP or a fabric route, so unreachable without BGP)",
            node1.ToString());
    }

    [Fact]
    public void Never_to_Always_tunnels_everything_including_the_lanA_pair()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.Never), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Settings);
        Assert.Equal(6, preview.Changes.Count);
        Assert.All(preview.Changes, c => Assert.Equal(PlannedRouteType.IPIP, c.After!.Type));
        Assert.Equal(
            [PlannedRouteType.Direct, PlannedRouteType.Unreachable, PlannedRouteType.Direct, PlannedRouteType.Unreachable, PlannedRouteType.Unreachable, PlannedRouteType.Unreachable],
            preview.Changes.Select(c => c.Before!.Type));
    }

    [Fact]
    public void The_same_pool_again_changes_nothing()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.CrossSubnet), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]);
        Assert.Empty(preview.Changes);
        Assert.Equal("No node's routes would change (3 nodes planned).", preview.Describe());
    }

    [Fact]
    public void A_node_stored_as_32_is_previewed_as_tunnelling_to_its_neighbour_which_still_sends_direct()
    {
        var before = Seed(IPIPMode.CrossSubnet);
        var preview = RoutePreview.Compare(before, before.With(SeedLab.Node("node2", "10.0.2.10/32", tunnel: "192.168.2.0")), SeedLab.Settings);
        var change = Assert.Single(preview.Changes);
        Assert.Equal("node2", change.Node);
        Assert.Equal("192.168.1.0/26", change.Destination.ToString());
        Assert.Equal(PlannedRouteType.Direct, change.Before!.Type);
        Assert.Equal(PlannedRouteType.IPIP, change.After!.Type);
        Assert.Contains("local node has no subnet (stored as 10.0.2.10/32)", change.Why);
    }

    [Fact]
    public void A_new_pool_over_an_orphaned_block_makes_its_route_appear()
    {
        Calico.Ipam.AllocationBlock[] blocks = [.. SeedLab.Blocks(), SeedLab.Block("10.9.0.0/26", "node3", ("10.9.0.1", "node3", null))];
        var before = new ClusterSnapshot(SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], blocks);
        var preview = RoutePreview.Compare(before, [SeedLab.Pool("extra", "10.9.0.0/16", ipip: IPIPMode.Always)], SeedLab.Settings);
        var onNode1 = preview.Changes.Single(c => c.Node == "node1");
        Assert.Equal(PlannedRouteType.Unreachable, onNode1.Before!.Type);
        Assert.Equal("10.9.0.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480", onNode1.After!.ToString());
        var onNode3 = preview.Changes.Single(c => c.Node == "node3");
        Assert.Equal(RouteChangeKind.Appears, onNode3.Kind);
        Assert.Equal(PlannedRouteType.Blackhole, onNode3.After!.Type);
    }

    [Fact]
    public void Describe_counts_per_node_and_cuts_long_lists()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.Never), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Settings);
        var lines = preview.Describe(maxLines: 2).Split(Environment.NewLine);
        Assert.Equal("Routes that would change: node1 2, node2 2, node3 2", lines[0]);
        Assert.StartsWith("  node1: 192.168.2.0/26 via 10.0.2.10 dev eth0 (direct) → via 10.0.2.10 dev tunl0 (IPIP)", lines[1]);
        Assert.Equal("  ... and 4 more", lines[^1]);
        Assert.Equal(4, lines.Length);
    }

    [Fact]
    public void Without_a_known_host_interface_direct_routes_read_without_a_device()
    {
        var preview = RoutePreview.Compare(Seed(IPIPMode.Always), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)]);
        Assert.StartsWith("node1: 192.168.2.0/26 via 10.0.2.10 dev tunl0 (IPIP) → via 10.0.2.10 (direct) (", preview.Changes[0].ToString());
    }
}
