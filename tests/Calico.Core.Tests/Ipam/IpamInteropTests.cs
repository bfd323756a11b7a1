using System.Net;
using Calico.Ipam;

namespace Calico.Tests.Ipam;

/// <summary>Blocks, handles and affinities as Calico writes them are read, allocated from and written back in Calico's form.</summary>
public class IpamInteropTests
{
    // Node1's /30 block as Calico HEAD leaves it after handing out 192.168.10.0 as node1's IPIP tunnel address.
    private const string HeadBlock =
        "{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"affinity_claim_time\":\"2025-12-01T00:00:00Z\","
        + "\"allocations\":[0,null,null,null],\"unallocated\":[1,2,3],"
        + "\"attributes\":[{\"handle_id\":\"ipip-tunnel-addr-node1\",\"secondary\":{\"node\":\"node1\",\"type\":\"ipipTunnelAddress\"}}],"
        + "\"sequenceNumber\":1764547200000000001,\"sequenceNumberForAllocation\":{\"0\":1764547200000000000},\"deleted\":false}";

    // The same block as v3.30 writes it: no claim time; handle_id and secondary always present, here null for an
    // address from before tunnel addresses had handles.
    private const string V330Block =
        "{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\","
        + "\"allocations\":[0,null,null,null],\"unallocated\":[1,2,3],"
        + "\"attributes\":[{\"handle_id\":null,\"secondary\":null}],"
        + "\"sequenceNumber\":7,\"sequenceNumberForAllocation\":{\"0\":6},\"deleted\":false}";

    private static async Task<IpamTestWorld> WorldWithBlockAsync(string blockJson)
    {
        var world = new IpamTestWorld();
        world.AddPool("p1", "192.168.10.0/24", 30);
        world.AddNode("node1");
        var cidr = Calico.Net.IPPrefix.Parse("192.168.10.0/30");
        await world.PutAsync(IpamKeys.Block(cidr), blockJson);
        await world.PutAsync(IpamKeys.Affinity("node1", cidr), "{\"state\":\"confirmed\",\"deleted\":false}");
        return world;
    }

    [Fact]
    public async Task Allocating_from_a_Calico_HEAD_block_writes_exactly_what_Calico_would()
    {
        using var world = await WorldWithBlockAsync(HeadBlock);
        await world.PutAsync(IpamKeys.Handle("ipip-tunnel-addr-node1"), "{\"block\":{\"192.168.10.0/30\":1},\"deleted\":false}");

        var result = await world.Client().AutoAssignAsync(new AutoAssignArgs
        {
            Host = "node1",
            HandleId = "pod-a",
            Attributes = new Dictionary<string, string> { ["node"] = "node1", ["pod"] = "a", ["namespace"] = "default" },
        });

        Assert.Equal([IPAddress.Parse("192.168.10.1")], result.Addresses);
        Assert.Equal(
            "{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"affinity_claim_time\":\"2025-12-01T00:00:00Z\","
            + "\"allocations\":[0,1,null,null],\"unallocated\":[2,3],"
            + "\"attributes\":[{\"handle_id\":\"ipip-tunnel-addr-node1\",\"secondary\":{\"node\":\"node1\",\"type\":\"ipipTunnelAddress\"}},"
            + "{\"handle_id\":\"pod-a\",\"secondary\":{\"namespace\":\"default\",\"node\":\"node1\",\"pod\":\"a\"}}],"
            + "\"sequenceNumber\":1764547200000000002,\"sequenceNumberForAllocation\":{\"0\":1764547200000000000,\"1\":1764547200000000001},\"deleted\":false}",
            await world.ValueAsync("/calico/ipam/v2/assignment/ipv4/block/192.168.10.0-30"));
        Assert.Equal("{\"block\":{\"192.168.10.0/30\":1},\"deleted\":false}", await world.ValueAsync("/calico/ipam/v2/handle/pod-a"));
        // Other keys untouched.
        Assert.Equal("{\"block\":{\"192.168.10.0/30\":1},\"deleted\":false}", await world.ValueAsync("/calico/ipam/v2/handle/ipip-tunnel-addr-node1"));
        Assert.Equal("{\"state\":\"confirmed\",\"deleted\":false}", await world.ValueAsync("/calico/ipam/v2/host/node1/ipv4/block/192.168.10.0-30"));
    }

    [Fact]
    public async Task A_v3_30_block_keeps_its_handleless_allocation_and_is_written_in_HEAD_form()
    {
        using var world = await WorldWithBlockAsync(V330Block);
        var result = await world.Client().AutoAssignAsync(new AutoAssignArgs { Host = "node1", Count = 3, HandleId = "h" });

        Assert.Equal(["192.168.10.1", "192.168.10.2", "192.168.10.3"], result.Addresses.Select(a => a.ToString()));
        Assert.Equal(
            "{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\","
            + "\"allocations\":[0,1,1,1],\"unallocated\":[],"
            + "\"attributes\":[{},{\"handle_id\":\"h\"}],"
            + "\"sequenceNumber\":8,\"sequenceNumberForAllocation\":{\"0\":6,\"1\":7,\"2\":7,\"3\":7},\"deleted\":false}",
            await world.ValueAsync("/calico/ipam/v2/assignment/ipv4/block/192.168.10.0-30"));
        Assert.Equal("{\"block\":{\"192.168.10.0/30\":3},\"deleted\":false}", await world.ValueAsync("/calico/ipam/v2/handle/h"));
    }

    [Fact]
    public async Task A_new_block_affinity_and_handle_are_Calicos_values()
    {
        using var world = new IpamTestWorld();
        world.AddPool("p1", "10.0.0.0/24", 26);
        world.AddNode("node1");
        var result = await world.Client().AutoAssignAsync(new AutoAssignArgs { Host = "node1", HandleId = "h1" });

        var address = Assert.Single(result.Addresses);
        var block = Assert.Single(await world.KeysAsync("/calico/ipam/v2/assignment/"));
        var cidr = block[(block.LastIndexOf('/') + 1)..].Replace('-', '/');
        // The first address handed out is the block's first address (Linux reserves none).
        Assert.Equal(cidr.Split('/')[0], address.ToString());
        var unixNanos = (ulong)(IpamTestWorld.Start - DateTimeOffset.UnixEpoch).Ticks * 100;
        Assert.Equal(
            $"{{\"cidr\":\"{cidr}\",\"affinity\":\"host:node1\",\"affinity_claim_time\":\"2026-01-01T00:00:00Z\","
            + "\"allocations\":[0" + string.Concat(Enumerable.Repeat(",null", 63)) + "],"
            + "\"unallocated\":[" + string.Join(',', Enumerable.Range(1, 63)) + "],"
            + "\"attributes\":[{\"handle_id\":\"h1\"}],"
            + $"\"sequenceNumber\":{unixNanos + 1},\"sequenceNumberForAllocation\":{{\"0\":{unixNanos}}},\"deleted\":false}}",
            await world.ValueAsync(block));
        Assert.Equal("{\"state\":\"confirmed\",\"deleted\":false}", await world.ValueAsync($"/calico/ipam/v2/host/node1/ipv4/block/{cidr.Replace('/', '-')}"));
        Assert.Equal($"{{\"block\":{{\"{cidr}\":1}},\"deleted\":false}}", await world.ValueAsync("/calico/ipam/v2/handle/h1"));
        // Reading the config wrote nothing.
        Assert.Null(await world.ValueAsync(IpamKeys.Config));
    }

    [Fact]
    public async Task Config_is_read_with_Go_zero_values_and_defaults_when_absent()
    {
        using var world = new IpamTestWorld();
        var client = world.Client();
        var defaults = await client.GetConfigAsync();
        Assert.Equal(new IpamConfig { AutoAllocateBlocks = true, KubeVirtVMAddressPersistence = "Enabled" }, defaults);
        await world.PutAsync(IpamKeys.Config, "{\"strict_affinity\":true,\"maxBlocksPerHost\":4}");
        var stored = await client.GetConfigAsync();
        Assert.True(stored.StrictAffinity);
        Assert.False(stored.AutoAllocateBlocks);
        Assert.Equal(4, stored.MaxBlocksPerHost);
        Assert.True(stored.IsStored);
        Assert.Equal("{\"strict_affinity\":true,\"maxBlocksPerHost\":4}", IpamJson.Serialize(stored));
    }

    [Theory]
    [InlineData("{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"allocations\":[null,null,null,null],\"unallocated\":[0,1,1,2],\"attributes\":[]}", "listed twice")]
    [InlineData("{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"allocations\":[0,null,null,null],\"unallocated\":[0,1,2,3],\"attributes\":[{}]}", "both free and allocated")]
    [InlineData("{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"allocations\":[3,null,null,null],\"unallocated\":[1,2,3],\"attributes\":[{}]}", "points at attribute 3")]
    public async Task A_block_that_would_hand_out_an_address_twice_is_refused_and_left_alone(string json, string reason)
    {
        using var world = await WorldWithBlockAsync(json);
        var error = await Assert.ThrowsAsync<Calico.Datastore.DatastoreCorruptException>(() =>
            world.Client().AutoAssignAsync(new AutoAssignArgs { Host = "node1" }));
        Assert.Contains(reason, error.Message);
        Assert.Contains("192.168.10.0-30", error.Message);
        Assert.Equal(json, await world.ValueAsync("/calico/ipam/v2/assignment/ipv4/block/192.168.10.0-30"));
    }
}
