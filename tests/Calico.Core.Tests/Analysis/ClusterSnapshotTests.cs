using Calico.Analysis;
using Calico.Datastore;
using Calico.Tests.Datastore;
using Calico.Resources;
using Calico.Routing;
using Calico.Tests.Routing;

namespace Calico.Tests.Analysis;

/// <summary>Reading the cluster once, consistently, and planning any node from it.</summary>
public sealed class ClusterSnapshotTests
{
    [Fact]
    public async Task Reads_the_nodes_pools_and_blocks_of_the_datastore()
    {
        using var lab = await AnalysisLab.SeedAsync(IPIPMode.Always);
        var snapshot = await ClusterSnapshot.ReadAsync(lab.Client);
        Assert.Equal(["node1", "node2", "node3"], snapshot.Nodes.Select(n => n.Name));
        Assert.Equal(["default-ipv4-ippool"], snapshot.Pools.Select(p => p.Name));
        Assert.Equal(["192.168.1.0/26", "192.168.2.0/26", "192.168.3.0/26"], snapshot.Blocks.Select(b => b.Cidr.ToString()).Order());
        Assert.Empty(snapshot.Errors);
    }

    [Fact]
    public async Task Plans_a_node_as_the_route_planner_does_from_the_same_data()
    {
        using var lab = await AnalysisLab.SeedAsync(IPIPMode.CrossSubnet);
        var snapshot = await ClusterSnapshot.ReadAsync(lab.Client);
        var plan = snapshot.Plan("node1", SeedLab.Settings);
        var expected = RoutePlanner.Plan("node1", SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.CrossSubnet)], SeedLab.Blocks(), SeedLab.Settings);
        Assert.Equal(SeedLab.Lines(expected), SeedLab.Lines(plan));
        Assert.Equal(
            ["blackhole 192.168.1.0/26 proto 80",
             "192.168.2.0/26 via 10.0.2.10 dev eth0 onlink proto 80",
             "192.168.3.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1480"],
            SeedLab.Lines(plan));
    }

    [Fact]
    public async Task Unreadable_nodes_and_blocks_are_left_out_and_each_is_reported()
    {
        using var lab = await AnalysisLab.SeedAsync(IPIPMode.Always);
        await lab.PutGarbageAsync(AnalysisLab.NodeKey("broken"));
        await lab.PutGarbageAsync(AnalysisLab.BlockKey("192.168.9.0/26"));
        var snapshot = await ClusterSnapshot.ReadAsync(lab.Client);
        Assert.Equal(3, snapshot.Nodes.Count);
        Assert.Equal(3, snapshot.Blocks.Count);
        Assert.Equal(2, snapshot.Errors.Count);
        Assert.Contains(snapshot.Errors, e => e.Key == AnalysisLab.NodeKey("broken"));
        Assert.Contains(snapshot.Errors, e => e.Key == AnalysisLab.BlockKey("192.168.9.0/26"));
    }

    [Fact]
    public async Task A_node_changed_while_the_blocks_are_read_is_read_again()
    {
        using var lab = await AnalysisLab.SeedAsync(IPIPMode.Always);
        var store = new ChangingStore(lab.Store, lab.Client, changes: 1);
        using var client = new Calico.Client.CalicoClient(store);
        var snapshot = await ClusterSnapshot.ReadAsync(client);
        Assert.Equal(1, store.ChangesMade);
        // The snapshot holds the node as it was after the change, not the stale first read.
        Assert.Equal("1", snapshot.GetNode("node3")!.Metadata.Labels!["changed"]);
    }

    [Fact]
    public async Task Nodes_that_never_stop_changing_make_the_read_fail()
    {
        using var lab = await AnalysisLab.SeedAsync(IPIPMode.Always);
        var store = new ChangingStore(lab.Store, lab.Client, changes: int.MaxValue);
        using var client = new Calico.Client.CalicoClient(store);
        var ex = await Assert.ThrowsAsync<DatastoreException>(() => ClusterSnapshot.ReadAsync(client));
        Assert.Contains("changed while the cluster was being read, 5 times in a row", ex.Message);
        Assert.Equal(ClusterSnapshot.ReadAttempts, store.ChangesMade);
    }

    [Fact]
    public void With_puts_a_pool_or_node_in_place_of_the_one_of_its_name_and_leaves_the_original_alone()
    {
        var snapshot = new ClusterSnapshot(SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Blocks());
        var changed = snapshot.With(SeedLab.IPIPPool(IPIPMode.Never)).With(SeedLab.Node("node2", "10.0.2.10/32"));
        Assert.Equal(IPIPMode.Always, snapshot.Pools.Single().IPIPMode);
        Assert.Equal(IPIPMode.Never, changed.Pools.Single().IPIPMode);
        Assert.Equal("10.0.2.10/24", snapshot.GetNode("node2")!.IPv4Address);
        Assert.Equal("10.0.2.10/32", changed.GetNode("node2")!.IPv4Address);
        Assert.Equal(["node1", "node2", "node3"], changed.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Plans_follow_the_settings_they_are_asked_for()
    {
        var snapshot = new ClusterSnapshot(SeedLab.Nodes(), [SeedLab.IPIPPool(IPIPMode.Always)], SeedLab.Blocks());
        Assert.Equal(1440, SeedLab.Route(snapshot.Plan("node1"), "192.168.3.0/26").Mtu);
        Assert.Equal(1480, SeedLab.Route(snapshot.Plan("node1", SeedLab.Settings), "192.168.3.0/26").Mtu);
    }

    /// <summary>A store that updates node3 just before the blocks are listed, as another writer might.</summary>
    private sealed class ChangingStore(IKeyValueStore inner, Calico.Client.CalicoClient writer, int changes) : DelegatingStore(inner)
    {
        public int ChangesMade { get; private set; }

        public override async Task<KeyValueList> ListAsync(string prefix, CancellationToken cancellationToken = default)
        {
            if (prefix.StartsWith("/calico/ipam/", StringComparison.Ordinal) && ChangesMade < changes)
            {
                ChangesMade++;
                var node = await writer.Nodes.GetAsync("node3", cancellationToken);
                node.Metadata.Labels = new Dictionary<string, string> { ["changed"] = ChangesMade.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                await writer.Nodes.UpdateAsync(node, cancellationToken: cancellationToken);
            }
            return await Inner.ListAsync(prefix, cancellationToken);
        }

        // The lab owns the store it wraps.
        public override void Dispose() { }
    }
}
