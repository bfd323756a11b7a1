using System.Net;
using Calico.Datastore;
using Calico.Ipam;
using Calico.Net;
using Calico.Resources;

namespace Calico.Tests.Ipam;

public class IpamAllocationTests
{
    private static AutoAssignArgs For(string host, int count = 1, string? handle = null) => new()
    {
        Host = host,
        Count = count,
        HandleId = handle,
        Attributes = new Dictionary<string, string> { ["node"] = host },
    };

    [Theory]
    // Go's math/rand seeded with FNV-32 of the host picks these starting blocks (checked against Go 1.19).
    [InlineData("node1", "192.168.0.0/16", 26, "192.168.166.128")]
    [InlineData("node2", "192.168.0.0/16", 26, "192.168.104.0")]
    [InlineData("host-a", "10.0.0.0/8", 26, "10.134.54.0")]
    [InlineData("worker-17.example.com", "10.0.0.0/24", 30, "10.0.0.116")]
    public async Task A_host_starts_in_the_block_Calico_would_pick_and_gets_its_first_address(string host, string pool, int blockSize, string first)
    {
        using var world = IpamTestWorld.WithPool(pool, blockSize, host);
        var client = world.Client();
        var one = await client.AutoAssignAsync(For(host));
        var two = await client.AutoAssignAsync(For(host));
        Assert.Equal(first, one.Addresses.Single().ToString());
        Assert.Equal(BlockWalk.ToAddress(BlockWalk.ToInteger(IPAddress.Parse(first)) + 1, false), two.Addresses.Single());
    }

    [Fact]
    public async Task The_default_limit_is_twenty_blocks_per_host_and_then_the_request_stops_short()
    {
        using var world = IpamTestWorld.WithPool("10.0.0.0/20", 30, "node1");
        var result = await world.Client().AutoAssignAsync(For("node1", 100));

        Assert.Equal(80, result.Addresses.Count);
        Assert.True(result.BlockLimitReached);
        Assert.Equal("Assigned 80 out of 100 requested IPv4 addresses; Need to allocate an IPAM block but could not - limit of 20 blocks reached for this node",
            result.PartialFulfillmentMessage);
        Assert.Equal(20, (await world.KeysAsync("/calico/ipam/v2/host/node1/")).Count);
        Assert.Equal(80, result.Addresses.Distinct().Count());
        var error = Assert.Throws<IpamException>(() => result.ThrowIfIncomplete());
        Assert.Equal(IpamErrorReason.BlockLimitReached, error.Reason);
    }

    [Fact]
    public async Task The_config_and_the_request_limit_blocks_per_host_the_stricter_winning()
    {
        using var world = IpamTestWorld.WithPool("10.0.0.0/24", 30, "node1");
        await world.PutAsync(IpamKeys.Config, "{\"strict_affinity\":true,\"auto_allocate_blocks\":true,\"maxBlocksPerHost\":3}");
        var client = world.Client();
        Assert.Equal(12, (await client.AutoAssignAsync(For("node1", 20))).Addresses.Count);
        await world.PutAsync(IpamKeys.Config, "{\"strict_affinity\":true,\"auto_allocate_blocks\":true,\"maxBlocksPerHost\":30}");
        var limited = await client.AutoAssignAsync(For("node1", 20) with { MaxBlocksPerHost = 4 });
        Assert.Equal(4, limited.Addresses.Count);
        Assert.True(limited.BlockLimitReached);
    }

    private static async Task<IpamTestWorld> TwoFullishBlocksAsync(string? config = null)
    {
        // Two /30 blocks; node1 and node2 each claim one and leave one address free.
        var world = IpamTestWorld.WithPool("10.1.0.0/29", 30, "node1", "node2", "node3");
        if (config is not null) await world.PutAsync(IpamKeys.Config, config);
        var client = world.Client();
        Assert.Equal(3, (await client.AutoAssignAsync(For("node1", 3))).Addresses.Count);
        Assert.Equal(3, (await client.AutoAssignAsync(For("node2", 3))).Addresses.Count);
        return world;
    }

    [Fact]
    public async Task With_no_block_left_to_claim_a_host_borrows_from_other_hosts_blocks()
    {
        using var world = await TwoFullishBlocksAsync();
        var client = world.Client();
        var borrowed = await client.AutoAssignAsync(For("node3", 3));

        Assert.Equal(2, borrowed.Addresses.Count);
        Assert.Equal("Assigned 2 out of 3 requested IPv4 addresses; No IPs available in pools: [10.1.0.0/29]", borrowed.PartialFulfillmentMessage);
        Assert.Empty(await world.KeysAsync("/calico/ipam/v2/host/node3/"));
        var blocks = await client.GetBlocksAsync();
        Assert.All(blocks, b =>
        {
            Assert.Equal(4, b.InUse);
            Assert.Equal(0, b.Free);
            Assert.Equal("p", b.Pool);
            Assert.Equal(["node3"], b.BorrowedBy);
            Assert.Equal("node3", Assert.Single(b.BorrowedAddresses).Node);
        });
        Assert.Equal(["node1", "node2"], blocks.Select(b => b.Host).Order());
        var all = await client.GetAllocationsAsync();
        Assert.Equal(8, all.Select(a => a.Address).Distinct().Count());
        Assert.Equal(2, all.Count(a => a.Borrowed && a.Node == "node3"));
    }

    [Fact]
    public async Task Strict_affinity_forbids_borrowing()
    {
        using var world = await TwoFullishBlocksAsync("{\"strict_affinity\":true,\"auto_allocate_blocks\":true}");
        var result = await world.Client().AutoAssignAsync(For("node3", 2));
        Assert.Empty(result.Addresses);
        Assert.Equal("Assigned 0 out of 2 requested IPv4 addresses; No more free affine blocks and strict affinity enabled", result.PartialFulfillmentMessage);
    }

    [Fact]
    public async Task Without_automatic_block_allocation_only_affine_blocks_are_used_and_nothing_is_borrowed()
    {
        using var world = await TwoFullishBlocksAsync();
        await world.PutAsync(IpamKeys.Config, "{\"strict_affinity\":true}");
        var client = world.Client();
        var own = await client.AutoAssignAsync(For("node1", 2));
        Assert.Single(own.Addresses);
        Assert.Equal("Assigned 1 out of 2 requested IPv4 addresses; failed to find or claim a block (auto_allocate_blocks is off)", own.PartialFulfillmentMessage);
        // A stored config without strict affinity still does not borrow once claiming is refused, as in Calico.
        await world.PutAsync(IpamKeys.Config, "{}");
        Assert.Empty((await client.AutoAssignAsync(For("node3"))).Addresses);
    }

    [Fact]
    public async Task Disabled_pools_hand_out_nothing()
    {
        using var world = new IpamTestWorld();
        world.AddPool("off", "10.2.0.0/24", 26, s => s.Disabled = true);
        world.AddNode("node1");
        var error = await Assert.ThrowsAsync<IpamException>(() => world.Client().AutoAssignAsync(For("node1")));
        Assert.Equal(IpamErrorReason.NoQualifiedPool, error.Reason);

        world.AddPool("on", "10.3.0.0/24", 26);
        var result = await world.Client().AutoAssignAsync(For("node1", 5));
        Assert.All(result.Addresses, a => Assert.True(IPPrefix.Parse("10.3.0.0/24").Contains(a)));
    }

    [Fact]
    public async Task Only_pools_whose_node_selector_matches_the_node_labels_are_used_case_sensitively()
    {
        using var world = new IpamTestWorld();
        world.AddPool("zone-a", "10.4.0.0/24", 26, s => s.NodeSelector = "zone == 'a'");
        world.AddPool("zone-b", "10.5.0.0/24", 26, s => s.NodeSelector = "zone == 'b'");
        world.AddNode("in-b", ("zone", "b"));
        world.AddNode("upper", ("Zone", "b"));
        var client = world.Client();
        var result = await client.AutoAssignAsync(For("in-b", 3));
        Assert.All(result.Addresses, a => Assert.True(IPPrefix.Parse("10.5.0.0/24").Contains(a)));
        var error = await Assert.ThrowsAsync<IpamException>(() => client.AutoAssignAsync(For("upper")));
        Assert.Equal("no configured Calico pools for node upper", error.Message);
    }

    [Fact]
    public async Task Allowed_uses_are_honoured()
    {
        using var world = new IpamTestWorld();
        world.AddPool("tunnels", "10.6.0.0/24", 26, s => s.AllowedUses = [IPPoolAllowedUse.Tunnel]);
        world.AddNode("node1");
        var client = world.Client();
        var error = await Assert.ThrowsAsync<IpamException>(() => client.AutoAssignAsync(For("node1")));
        Assert.Equal("cannot find a qualified ippool, no pools match the required use (Workload)", error.Message);
        var tunnel = await client.AutoAssignAsync(For("node1") with { IntendedUse = IPPoolAllowedUse.Tunnel });
        Assert.Single(tunnel.Addresses);
        var refused = await Assert.ThrowsAsync<IpamException>(() => client.AssignIPAsync(new AssignIPArgs
        {
            Address = IPAddress.Parse("10.6.0.200"), Host = "node1", IntendedUse = IPPoolAllowedUse.Workload,
        }));
        Assert.Equal(IpamErrorReason.UseNotAllowed, refused.Reason);
    }

    [Fact]
    public async Task A_manual_pool_is_used_only_when_asked_for()
    {
        using var world = new IpamTestWorld();
        world.AddPool("manual", "10.7.0.0/24", 26, s => s.AssignmentMode = AssignmentMode.Manual);
        world.AddNode("node1");
        var client = world.Client();
        await Assert.ThrowsAsync<IpamException>(() => client.AutoAssignAsync(For("node1")));
        var asked = await client.AutoAssignAsync(For("node1") with { Pools = [IPPrefix.Parse("10.7.0.0/24")] });
        Assert.True(IPPrefix.Parse("10.7.0.0/24").Contains(asked.Addresses.Single()));
        var missing = await Assert.ThrowsAsync<IpamException>(() => client.AutoAssignAsync(For("node1") with { Pools = [IPPrefix.Parse("10.8.0.0/24")] }));
        Assert.Equal("the given pool (10.8.0.0/24) does not exist, or is not enabled", missing.Message);
    }

    [Fact]
    public async Task Released_addresses_go_to_the_back_of_the_free_list()
    {
        using var world = IpamTestWorld.WithPool("10.9.0.0/30", 30, "node1");
        var client = world.Client();
        var first = await client.AutoAssignAsync(For("node1", 2, "h"));
        Assert.Equal(["10.9.0.0", "10.9.0.1"], first.Addresses.Select(a => a.ToString()));

        var release = await client.ReleaseIPsAsync([new ReleaseOptions(IPAddress.Parse("10.9.0.0")), new ReleaseOptions(IPAddress.Parse("10.9.0.3"))]);
        Assert.Equal([IPAddress.Parse("10.9.0.0")], release.Released);
        Assert.Equal([IPAddress.Parse("10.9.0.3")], release.NotAllocated);
        var block = await world.BlockAsync("10.9.0.0/30");
        Assert.Equal([2, 3, 0], block.Unallocated!);
        Assert.Equal("{\"block\":{\"10.9.0.0/30\":1},\"deleted\":false}", await world.ValueAsync(IpamKeys.Handle("h")));

        var next = await client.AutoAssignAsync(For("node1", 3, "h"));
        Assert.Equal(["10.9.0.2", "10.9.0.3", "10.9.0.0"], next.Addresses.Select(a => a.ToString()));
        Assert.Equal("{\"block\":{\"10.9.0.0/30\":4},\"deleted\":false}", await world.ValueAsync(IpamKeys.Handle("h")));
    }

    [Fact]
    public async Task A_handle_counts_its_addresses_per_block_and_release_by_handle_frees_them_all()
    {
        using var world = IpamTestWorld.WithPool("10.10.0.0/29", 30, "node1");
        var client = world.Client();
        var result = await client.AutoAssignAsync(For("node1", 6, "pod-x"));
        Assert.Equal(6, result.Addresses.Count);
        Assert.Equal("{\"block\":{\"10.10.0.0/30\":4,\"10.10.0.4/30\":2},\"deleted\":false}", await world.ValueAsync(IpamKeys.Handle("pod-x")));
        // A release that names the wrong handle changes nothing.
        var wrong = await Assert.ThrowsAsync<IpamException>(() => client.ReleaseIPsAsync([new ReleaseOptions(result.Addresses[0], "pod-y")]));
        Assert.Equal(IpamErrorReason.ReleaseConflict, wrong.Reason);

        Assert.Equal(6, await client.ReleaseByHandleAsync("pod-x"));
        Assert.Null(await world.ValueAsync(IpamKeys.Handle("pod-x")));
        // The blocks stay, empty and still the host's.
        foreach (var info in await client.GetBlocksAsync())
        {
            Assert.Equal(0, info.InUse);
            Assert.Equal("node1", info.Host);
        }
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => client.ReleaseByHandleAsync("pod-x"));
    }

    [Fact]
    public async Task A_release_with_the_wrong_sequence_number_is_refused()
    {
        using var world = IpamTestWorld.WithPool("10.11.0.0/30", 30, "node1");
        var client = world.Client();
        var address = (await client.AutoAssignAsync(For("node1", 1, "h"))).Addresses.Single();
        var sequence = (await world.BlockAsync("10.11.0.0/30")).GetSequenceNumberForOrdinal(0);
        await Assert.ThrowsAsync<IpamException>(() => client.ReleaseIPsAsync([new ReleaseOptions(address, "h", sequence + 1)]));
        Assert.Equal([address], (await client.ReleaseIPsAsync([new ReleaseOptions(address, "h", sequence)])).Released);
    }

    [Fact]
    public async Task With_a_cooldown_a_released_address_is_not_handed_out_again_until_it_has_passed()
    {
        using var world = IpamTestWorld.WithPool("10.12.0.0/31", 31, "node1");
        await world.PutAsync(IpamKeys.Config, "{\"auto_allocate_blocks\":true,\"ipCooldownSeconds\":60}");
        var client = world.Client();
        var both = await client.AutoAssignAsync(For("node1", 2, "h"));
        await client.ReleaseIPsAsync([new ReleaseOptions(both.Addresses[0])]);
        var cooling = await world.BlockAsync("10.12.0.0/31");
        Assert.Equal(IpamTestWorld.Start, cooling.AttributeOf(0)!.ReleasedAt);
        Assert.Empty(cooling.Unallocated!);
        var info = Assert.Single(await client.GetBlocksAsync());
        Assert.Equal(1, info.InCooldown);
        Assert.Equal("releasing", (await client.GetAllocationsAsync()).Single(a => a.Address.Equals(both.Addresses[0])).Type);

        world.Clock.Now = IpamTestWorld.Start.AddSeconds(59);
        Assert.Empty((await client.AutoAssignAsync(For("node1", 1, "h"))).Addresses);
        world.Clock.Now = IpamTestWorld.Start.AddSeconds(60);
        Assert.Equal(both.Addresses[0], (await client.AutoAssignAsync(For("node1", 1, "h"))).Addresses.Single());
    }

    [Fact]
    public async Task Assign_a_given_address_claims_its_block_and_refuses_a_taken_one()
    {
        using var world = IpamTestWorld.WithPool("10.13.0.0/24", 26, "node1", "node2");
        var client = world.Client();
        await client.AssignIPAsync(new AssignIPArgs { Address = IPAddress.Parse("10.13.0.70"), Host = "node1", HandleId = "h" });
        var block = await world.BlockAsync("10.13.0.64/26");
        Assert.Equal("host:node1", block.Affinity);
        Assert.Equal("h", block.AttributeOf(6)!.HandleId);
        Assert.DoesNotContain(6, block.Unallocated!);

        var taken = await Assert.ThrowsAsync<IpamException>(() => client.AssignIPAsync(new AssignIPArgs { Address = IPAddress.Parse("10.13.0.70"), Host = "node2" }));
        Assert.Equal(IpamErrorReason.AddressInUse, taken.Reason);
        Assert.Equal("{\"block\":{\"10.13.0.64/26\":1},\"deleted\":false}", await world.ValueAsync(IpamKeys.Handle("h")));
        var outside = await Assert.ThrowsAsync<IpamException>(() => client.AssignIPAsync(new AssignIPArgs { Address = IPAddress.Parse("10.99.0.1"), Host = "node1" }));
        Assert.Equal(IpamErrorReason.AddressNotInPool, outside.Reason);

        // Borrowing a given address from node1's block works without strict affinity.
        await client.AssignIPAsync(new AssignIPArgs { Address = IPAddress.Parse("10.13.0.71"), Host = "node2" });
        await world.PutAsync(IpamKeys.Config, "{\"strict_affinity\":true,\"auto_allocate_blocks\":true}");
        var strict = await Assert.ThrowsAsync<IpamException>(() => client.AssignIPAsync(new AssignIPArgs { Address = IPAddress.Parse("10.13.0.72"), Host = "node2" }));
        Assert.Equal(IpamErrorReason.AffinityMismatch, strict.Reason);
    }

    [Fact]
    public async Task Releasing_a_pools_affinities_deletes_empty_blocks_and_unowns_used_ones()
    {
        using var world = new IpamTestWorld();
        world.AddPool("p", "10.14.0.0/29", 30);
        world.AddPool("other", "10.15.0.0/30", 30, s => s.AssignmentMode = AssignmentMode.Manual);
        world.AddNode("node1");
        var client = world.Client();
        var used = await client.AutoAssignAsync(For("node1", 6, "h"));
        await client.AutoAssignAsync(For("node1", 1, "elsewhere") with { Pools = [IPPrefix.Parse("10.15.0.0/30")] });
        // Empty the second block of the pool.
        await client.ReleaseIPsAsync(used.Addresses.Where(a => IPPrefix.Parse("10.14.0.4/30").Contains(a)).Select(a => new ReleaseOptions(a)));

        var released = await client.ReleaseAffinitiesAsync(IPPrefix.Parse("10.14.0.0/29"));

        Assert.Equal(["10.14.0.0/30", "10.14.0.4/30"], released.Select(r => r.Block.ToString()).Order());
        Assert.Equal(["/calico/ipam/v2/host/node1/ipv4/block/10.15.0.0-30"], await world.KeysAsync("/calico/ipam/v2/host/"));
        Assert.Null(await world.ValueAsync("/calico/ipam/v2/assignment/ipv4/block/10.14.0.4-30"));
        var kept = await world.BlockAsync("10.14.0.0/30");
        Assert.Null(kept.Affinity);
        Assert.Null(kept.AffinityClaimTime);
        Assert.Equal(4, kept.InUseCount);
        // Releasing the last addresses of an unowned block deletes it.
        await client.ReleaseByHandleAsync("h");
        Assert.Null(await world.ValueAsync("/calico/ipam/v2/assignment/ipv4/block/10.14.0.0-30"));
    }

    [Fact]
    public async Task A_host_affinity_release_can_be_limited_to_empty_blocks()
    {
        using var world = IpamTestWorld.WithPool("10.16.0.0/29", 30, "node1");
        var client = world.Client();
        var used = await client.AutoAssignAsync(For("node1", 5, "h"));
        await client.ReleaseIPsAsync([new ReleaseOptions(used.Addresses[4])]);
        var released = await client.ReleaseHostAffinitiesAsync("node1", mustBeEmpty: true);
        Assert.Single(released);
        Assert.Single(await world.KeysAsync("/calico/ipam/v2/host/node1/"));
    }

    [Fact]
    public async Task When_a_pool_stops_selecting_a_host_its_emptied_block_is_given_up()
    {
        using var world = new IpamTestWorld();
        var pool = world.AddPool("p", "10.17.0.0/24", 26);
        world.AddNode("node1", ("rack", "1"));
        var client = world.Client();
        await client.AutoAssignAsync(For("node1", 1, "h"));
        Assert.Single(await world.KeysAsync("/calico/ipam/v2/host/"));
        pool.Spec.NodeSelector = "rack == '2'";
        await client.ReleaseByHandleAsync("h");
        Assert.Empty(await world.KeysAsync("/calico/ipam/v2/host/"));
        Assert.Empty(await world.KeysAsync("/calico/ipam/v2/assignment/"));
    }

    [Fact]
    public async Task An_empty_block_of_another_host_is_reclaimed_after_a_minute_when_none_is_left()
    {
        using var world = IpamTestWorld.WithPool("10.18.0.0/30", 30, "node1", "node2");
        var client = world.Client();
        var address = (await client.AutoAssignAsync(For("node1", 1, "h"))).Addresses.Single();
        await client.ReleaseByHandleAsync("h");
        world.Clock.Now = IpamTestWorld.Start.AddSeconds(30);
        // Within the minute node2 borrows from node1's block rather than taking it.
        var borrowed = await client.AutoAssignAsync(For("node2", 1, "h2"));
        Assert.Equal("10.18.0.1", borrowed.Addresses.Single().ToString());
        Assert.Equal("node1", Assert.Single(await client.GetBlocksAsync()).Host);
        await client.ReleaseByHandleAsync("h2");
        world.Clock.Now = IpamTestWorld.Start.AddSeconds(61);
        Assert.Equal(address, (await client.AutoAssignAsync(For("node2", 1, "h3"))).Addresses.Single());
        Assert.Equal("node2", Assert.Single(await client.GetBlocksAsync()).Host);
    }

    [Fact]
    public async Task Allocations_are_listed_with_handle_node_block_and_type()
    {
        using var world = IpamTestWorld.WithPool("10.19.0.0/30", 30, "node1");
        var client = world.Client();
        await client.AutoAssignAsync(new AutoAssignArgs
        {
            Host = "node1", HandleId = "ipip-tunnel-addr-node1", IntendedUse = IPPoolAllowedUse.Tunnel,
            Attributes = new Dictionary<string, string> { ["node"] = "node1", ["type"] = "ipipTunnelAddress" },
        });
        await client.AutoAssignAsync(new AutoAssignArgs
        {
            Host = "node1", HandleId = "k8s-pod-network.abc",
            Attributes = new Dictionary<string, string> { ["node"] = "node1", ["pod"] = "web", ["namespace"] = "default" },
        });
        var all = await client.GetAllocationsAsync();
        Assert.Equal(["10.19.0.0", "10.19.0.1"], all.Select(a => a.Address.ToString()));
        Assert.Equal(["ipipTunnelAddress", "pod"], all.Select(a => a.Type));
        Assert.All(all, a => Assert.Equal(IPPrefix.Parse("10.19.0.0/30"), a.Block));
        Assert.All(all, a => Assert.Equal("node1", a.Node));
        Assert.All(all, a => Assert.False(a.Borrowed));
        Assert.Equal("web", all[1].Attributes["pod"]);
        Assert.Equal("k8s-pod-network.abc", Assert.Single(await client.GetAllocationsAsync(handleId: "k8s-pod-network.abc")).Handle);
        Assert.Empty(await client.GetAllocationsAsync(node: "node2"));
        var attributes = await client.GetAssignmentAttributesAsync(IPAddress.Parse("10.19.0.0"));
        Assert.Equal("ipip-tunnel-addr-node1", attributes!.HandleId);
        Assert.Null(await client.GetAssignmentAttributesAsync(IPAddress.Parse("10.19.0.3")));
    }

    [Fact]
    public async Task An_unknown_node_is_an_error_naming_it()
    {
        using var world = new IpamTestWorld();
        world.AddPool("p", "10.20.0.0/24", 26);
        var error = await Assert.ThrowsAsync<IpamException>(() => world.Client().AutoAssignAsync(For("ghost")));
        Assert.Equal(IpamErrorReason.NodeNotFound, error.Reason);
        Assert.Contains("ghost", error.Message);
    }
}
