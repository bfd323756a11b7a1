using System.Text;
using Calico.Client;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;
using Calico.Tests.Datastore;
using Calico.Validation;

namespace Calico.Tests.Client;

/// <summary>Calico's client rules and calicoctl's apply, against the embedded file store.</summary>
public sealed class ClientTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly CalicoClient _client;

    public ClientTests()
    {
        _client = new CalicoClient(new FileKeyValueStore(_dir.Path));
    }

    public void Dispose()
    {
        _client.Dispose();
        _dir.Dispose();
    }

    private static IPPool Pool(string name, string cidr, IPIPMode? mode = null) => new() { Name = name, Spec = { Cidr = cidr, IPIPMode = mode } };

    private static Node Node(string name, string? ipv4) => new() { Name = name, Spec = { BGP = ipv4 is null ? null : new NodeBGPSpec { IPv4Address = ipv4 } } };

    [Fact]
    public async Task Create_applies_Calico_defaults_and_stores_them()
    {
        var stored = await _client.IPPools.CreateAsync(Pool("p1", "192.168.0.0/16"));
        Assert.Equal(26, stored.Spec.BlockSize);
        Assert.Equal("all()", stored.Spec.NodeSelector);
        Assert.Equal(IPIPMode.Never, stored.Spec.IPIPMode);
        Assert.Equal(VXLANMode.Never, stored.Spec.VXLANMode);
        Assert.Equal(new[] { IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel }, stored.Spec.AllowedUses!);
        Assert.Equal(AssignmentMode.Automatic, stored.Spec.AssignmentMode);
        Assert.False(string.IsNullOrEmpty(stored.ResourceVersion));
        Assert.False(string.IsNullOrEmpty(stored.Metadata.Uid));
        Assert.NotNull(stored.Metadata.CreationTimestamp);
    }

    [Fact]
    public async Task Invalid_pool_is_refused_with_every_problem_and_nothing_is_written()
    {
        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() =>
            _client.IPPools.CreateAsync(new IPPool { Name = "p", Spec = { Cidr = "192.168.1.5/16", IPIPMode = IPIPMode.Always, VXLANMode = VXLANMode.Always } }));
        Assert.Contains(ex.Errors, e => e.Field == "spec.cidr");
        Assert.Contains(ex.Errors, e => e.Message.Contains("cannot both be enabled", StringComparison.Ordinal));
        Assert.Empty((await _client.IPPools.ListAsync()).Items);
    }

    [Fact]
    public async Task New_pool_may_not_overlap_any_pool_disabled_ones_included()
    {
        var disabled = Pool("off", "10.0.0.0/16");
        disabled.Spec.Disabled = true;
        await _client.IPPools.CreateAsync(disabled);
        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => _client.IPPools.CreateAsync(Pool("inner", "10.0.1.0/24")));
        var error = Assert.Single(ex.Errors);
        Assert.Equal("spec.cidr", error.Field);
        Assert.Equal("IPPool(inner) CIDR overlaps with IPPool(off) CIDR 10.0.0.0/16", error.Message);
    }

    [Fact]
    public async Task New_pool_may_not_overlap_blocks_of_another_size()
    {
        var block = AllocationBlock.Create(IPPrefix.Parse("10.9.0.0/24"), "node1", DateTimeOffset.UnixEpoch);
        await _client.Store.CreateAsync(IpamKeys.Block(block.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(block)));
        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => _client.IPPools.CreateAsync(Pool("p", "10.9.0.0/16")));
        Assert.Equal("spec.blockSize", Assert.Single(ex.Errors).Field);
        var sameSize = Pool("p", "10.9.0.0/16");
        sameSize.Spec.BlockSize = 24;
        await _client.IPPools.CreateAsync(sameSize);
    }

    [Fact]
    public async Task Cidr_and_block_size_cannot_change_on_update()
    {
        var stored = await _client.IPPools.CreateAsync(Pool("p", "10.1.0.0/16"));
        var changed = stored.Clone();
        changed.Spec.Cidr = "10.2.0.0/16";
        changed.Spec.BlockSize = 28;
        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => _client.IPPools.UpdateAsync(changed));
        Assert.Contains(ex.Errors, e => e.Field == "spec.cidr");
        Assert.Contains(ex.Errors, e => e.Field == "spec.blockSize");
    }

    [Fact]
    public async Task Apply_creates_then_updates_keeping_stored_metadata()
    {
        var first = await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always));
        Assert.Equal(ApplyAction.Created, first.Action);
        var second = await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet));
        Assert.Equal(ApplyAction.Updated, second.Action);
        Assert.Equal(first.Resource.Metadata.Uid, second.Resource.Metadata.Uid);
        Assert.Equal(first.Resource.Metadata.CreationTimestamp, second.Resource.Metadata.CreationTimestamp);
        Assert.Equal("spec.ipipMode: Always → CrossSubnet", Assert.Single(second.Changes).ToString());
    }

    [Fact]
    public async Task Apply_that_changes_nothing_writes_nothing()
    {
        var first = await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always));
        var again = await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always));
        Assert.Equal(ApplyAction.Unchanged, again.Action);
        Assert.Equal(first.Resource.ResourceVersion, again.Resource.ResourceVersion);
    }

    [Fact]
    public async Task Apply_with_a_stale_resource_version_fails_at_once()
    {
        var first = (await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16"))).Resource;
        await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always));
        var stale = first.Clone();
        stale.Spec.NatOutgoing = true;
        var ex = await Assert.ThrowsAsync<ResourceConflictException>(() => _client.IPPools.ApplyAsync(stale));
        Assert.Contains("is out of date", ex.Message, StringComparison.Ordinal);
        Assert.False((await _client.IPPools.GetAsync("p")).Spec.NatOutgoing);
    }

    [Fact]
    public async Task Apply_replaces_labels_and_annotations_with_the_input()
    {
        var pool = Pool("p", "192.168.0.0/16");
        pool.Metadata.Labels = new() { ["a"] = "1" };
        await _client.IPPools.ApplyAsync(pool);
        var relabelled = Pool("p", "192.168.0.0/16");
        relabelled.Metadata.Labels = new() { ["b"] = "2" };
        var result = await _client.IPPools.ApplyAsync(relabelled);
        Assert.Equal(new Dictionary<string, string> { ["b"] = "2" }, result.Resource.Metadata.Labels);
    }

    [Fact]
    public async Task Cross_subnet_guard_lists_the_nodes_without_subnet()
    {
        await _client.Nodes.CreateAsync(Node("node1", "10.0.2.15/24"));
        await _client.Nodes.CreateAsync(Node("node2", "10.0.2.10/32"));
        await _client.Nodes.CreateAsync(Node("node4", "10.0.2.11"));
        var ex = await Assert.ThrowsAsync<CrossSubnetGuardException>(() =>
            _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet)));
        Assert.Equal(new[] { "node2", "node4" }, ex.Nodes.Select(n => n.Name));
        Assert.Contains("node2: stored as 10.0.2.10/32", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Set-CalicoNode -Name node2 -IPv4Address", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await _client.IPPools.ListAsync()).Items);

        var forced = await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet), new WriteOptions { AllowNodesWithoutSubnet = true });
        Assert.Equal(ApplyAction.Created, forced.Action);
    }

    [Fact]
    public async Task Cross_subnet_guard_only_counts_nodes_the_pool_selects()
    {
        var outside = Node("edge", "10.0.9.1/32");
        outside.Metadata.Labels = new() { ["role"] = "edge" };
        await _client.Nodes.CreateAsync(outside);
        var pool = Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet);
        pool.Spec.NodeSelector = "role != 'edge'";
        Assert.Equal(ApplyAction.Created, (await _client.IPPools.ApplyAsync(pool)).Action);
    }

    [Fact]
    public async Task Reapplying_a_CrossSubnet_pool_is_not_a_switch()
    {
        await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet));
        await _client.Nodes.CreateAsync(Node("late", "10.0.2.99/32"));
        var again = Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet);
        again.Spec.NatOutgoing = true;
        Assert.Equal(ApplyAction.Updated, (await _client.IPPools.ApplyAsync(again)).Action);
    }

    [Fact]
    public async Task Creating_a_node_initialises_the_cluster_information_once()
    {
        await _client.Nodes.CreateAsync(Node("node1", "10.0.2.15/24"));
        var info = await _client.Store.GetAsync("/calico/resources/v3/projectcalico.org/clusterinformations/default");
        Assert.NotNull(info);
        var json = Encoding.UTF8.GetString(info!.Value);
        Assert.Matches("\"clusterGUID\":\"[0-9a-f]{32}\",\"datastoreReady\":true", json);
        await _client.Nodes.CreateAsync(Node("node2", "10.0.2.10/24"));
        Assert.Equal(info.ModRevision, (await _client.Store.GetAsync(info.Key))!.ModRevision);
    }

    [Fact]
    public async Task Nodes_without_an_AS_number_show_the_clusters_in_parentheses()
    {
        await _client.Nodes.CreateAsync(Node("node1", "10.0.2.15/24"));
        Assert.Equal("(64512)", (await _client.Nodes.GetAsync("node1")).ASNumberDisplay);
        await _client.Store.CreateAsync("/calico/resources/v3/projectcalico.org/bgpconfigurations/default",
            Encoding.UTF8.GetBytes("{\"kind\":\"BGPConfiguration\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"default\"},\"spec\":{\"asNumber\":65001}}"));
        Assert.Equal("(65001)", (await _client.Nodes.GetAsync("node1")).ASNumberDisplay);
        Assert.Equal("", (await _client.Nodes.CreateAsync(Node("bare", null))).ASNumberDisplay);
    }

    [Fact]
    public async Task Deleting_a_pool_disables_it_and_releases_its_empty_blocks_and_affinities()
    {
        await _client.IPPools.CreateAsync(Pool("p", "10.5.0.0/16"));
        var empty = AllocationBlock.Create(IPPrefix.Parse("10.5.0.0/26"), "node1", DateTimeOffset.UnixEpoch);
        var used = AllocationBlock.Create(IPPrefix.Parse("10.5.0.64/26"), "node1", DateTimeOffset.UnixEpoch);
        used.Allocations![0] = 0;
        used.Unallocated!.Remove(0);
        used.Attributes = new() { new AllocationAttribute { HandleId = "h1" } };
        foreach (var b in new[] { empty, used })
        {
            await _client.Store.CreateAsync(IpamKeys.Block(b.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(b)));
            await _client.Store.CreateAsync(IpamKeys.Affinity("node1", b.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(new BlockAffinity(BlockAffinity.Confirmed))));
        }

        var deleted = await _client.IPPools.DeleteAsync("p");
        Assert.True(deleted!.Spec.Disabled);
        Assert.Null(await _client.Store.GetAsync(IpamKeys.Block(empty.Cidr)));
        var kept = IpamJson.DeserializeBlock(Encoding.UTF8.GetString((await _client.Store.GetAsync(IpamKeys.Block(used.Cidr)))!.Value));
        Assert.Null(kept.Affinity);
        Assert.Empty((await _client.Store.ListAsync(IpamKeys.AffinityRoot)).Items);
        Assert.Empty((await _client.IPPools.ListAsync()).Items);
    }

    [Fact]
    public async Task Deleting_a_node_releases_its_tunnel_address()
    {
        await _client.Nodes.CreateAsync(Node("node1", "10.0.2.15/24"));
        var block = AllocationBlock.Create(IPPrefix.Parse("192.168.0.0/26"), "node1", DateTimeOffset.UnixEpoch);
        block.Allocations![0] = 0;
        block.Unallocated!.Remove(0);
        block.Attributes = new() { new AllocationAttribute { HandleId = "ipip-tunnel-addr-node1", Secondary = new() { ["node"] = "node1", ["type"] = "ipipTunnelAddress" } } };
        await _client.Store.CreateAsync(IpamKeys.Block(block.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(block)));
        await _client.Store.CreateAsync(IpamKeys.Handle("ipip-tunnel-addr-node1"), Encoding.UTF8.GetBytes(IpamJson.Serialize(new IPAMHandle { Block = { ["192.168.0.0/26"] = 1 } })));
        await _client.Store.CreateAsync(IpamKeys.Affinity("node1", block.Cidr), Encoding.UTF8.GetBytes(IpamJson.Serialize(new BlockAffinity(BlockAffinity.Confirmed))));

        await _client.Nodes.DeleteAsync("node1");
        Assert.Null(await _client.Store.GetAsync(IpamKeys.Handle("ipip-tunnel-addr-node1")));
        // Its only address freed, the block is empty, so releasing the affinity deleted it.
        Assert.Null(await _client.Store.GetAsync(IpamKeys.Block(block.Cidr)));
        Assert.Empty((await _client.Nodes.ListAsync()).Items);
    }

    [Fact]
    public async Task Dry_run_names_every_change_without_writing()
    {
        var stored = (await _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always))).Resource;
        var proposed = Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet);
        proposed.Spec.NatOutgoing = true;
        var preview = await _client.IPPools.ApplyAsync(proposed, new WriteOptions { DryRun = true });
        Assert.Equal(ApplyAction.Updated, preview.Action);
        Assert.Equal(new[] { "spec.ipipMode: Always → CrossSubnet", "spec.natOutgoing: (none) → true" }, preview.Changes.Select(c => c.ToString()));
        Assert.Equal(stored.ResourceVersion, (await _client.IPPools.GetAsync("p")).ResourceVersion);
    }

    [Fact]
    public async Task Dry_run_makes_every_check_a_write_makes()
    {
        await _client.IPPools.CreateAsync(Pool("p", "192.168.0.0/16", IPIPMode.Always));
        await _client.Nodes.CreateAsync(Node("node2", "10.0.2.10/32"));
        var dryRun = new WriteOptions { DryRun = true };
        await Assert.ThrowsAsync<CrossSubnetGuardException>(() => _client.IPPools.ApplyAsync(Pool("p", "192.168.0.0/16", IPIPMode.CrossSubnet), dryRun));
        await Assert.ThrowsAsync<ResourceValidationException>(() => _client.IPPools.CreateAsync(Pool("q", "192.168.7.0/24"), dryRun));
        var created = await _client.IPPools.CreateAsync(Pool("q", "10.3.0.0/16"), dryRun);
        Assert.Equal(26, created.Spec.BlockSize);
        Assert.Null(await _client.IPPools.TryGetAsync("q"));
    }

    [Fact]
    public async Task An_invalid_update_reports_each_problem_once()
    {
        await _client.Nodes.CreateAsync(Node("n1", "10.0.2.15/24"));
        var ex = await Assert.ThrowsAsync<ResourceValidationException>(() => _client.Nodes.ApplyAsync(Node("n1", "10.0.2.300/24")));
        Assert.Single(ex.Errors);
    }

    [Fact]
    public async Task Concurrent_applies_all_succeed_by_retrying_and_one_write_wins_whole()
    {
        await _client.Nodes.CreateAsync(Node("n", "10.0.2.15/24"));
        var options = new WriteOptions { ConflictRetries = 50, ConflictRetryDelay = TimeSpan.FromMilliseconds(5) };
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var node = Node("n", "10.0.2.15/24");
            node.Metadata.Labels = new() { ["writer"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await _client.Nodes.ApplyAsync(node, options);
        })));
        var final = await _client.Nodes.GetAsync("n");
        var label = Assert.Single(final.Metadata.Labels!);
        Assert.Equal("writer", label.Key);
        Assert.InRange(int.Parse(label.Value, System.Globalization.CultureInfo.InvariantCulture), 0, 7);
    }
}
