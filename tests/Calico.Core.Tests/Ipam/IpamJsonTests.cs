using System.Net;
using Calico.Ipam;
using Calico.Net;

namespace Calico.Tests.Ipam;

public class IpamJsonTests
{
    // A /30 block as Calico HEAD writes it after handing out its first address as node1's IPIP tunnel address
    // (field order of libcalico-go model/block.go; empty handle_id/secondary omitted since HEAD).
    private const string CalicoBlock =
        "{\"cidr\":\"192.168.10.0/30\",\"affinity\":\"host:node1\",\"affinity_claim_time\":\"2026-01-01T00:00:00Z\","
        + "\"allocations\":[0,null,null,null],\"unallocated\":[1,2,3],"
        + "\"attributes\":[{\"handle_id\":\"ipip-tunnel-addr-node1\",\"secondary\":{\"node\":\"node1\",\"type\":\"ipipTunnelAddress\"}}],"
        + "\"sequenceNumber\":1767225600000000001,\"sequenceNumberForAllocation\":{\"0\":1767225600000000000},\"deleted\":false}";

    [Fact]
    public void Calico_block_round_trips_byte_for_byte()
    {
        var block = IpamJson.DeserializeBlock(CalicoBlock);
        Assert.Equal("node1", block.Host);
        Assert.Equal(4, block.Size);
        Assert.Equal("ipip-tunnel-addr-node1", block.AttributeOf(0)?.HandleId);
        Assert.Equal("node1", block.AttributeOf(0)?.Node);
        Assert.Null(block.AttributeOf(1));
        Assert.Equal(CalicoBlock, IpamJson.Serialize(block));
    }

    [Fact]
    public void Old_Calico_block_with_null_handle_and_secondary_is_read()
    {
        // ≤ v3.30 always wrote handle_id and secondary, possibly null (reference §0).
        var old = CalicoBlock.Replace("{\"handle_id\":\"ipip-tunnel-addr-node1\",\"secondary\":{\"node\":\"node1\",\"type\":\"ipipTunnelAddress\"}}",
            "{\"handle_id\":null,\"secondary\":null}");
        var block = IpamJson.DeserializeBlock(old);
        Assert.Null(block.AttributeOf(0)?.HandleId);
        Assert.Null(block.AttributeOf(0)?.Secondary);
    }

    [Fact]
    public void New_block_lists_every_ordinal_free_in_order_and_starts_at_the_first_address()
    {
        var block = AllocationBlock.Create(IPPrefix.Parse("10.0.0.0/26"), "node1", DateTimeOffset.UnixEpoch.AddSeconds(1));
        Assert.Equal(Enumerable.Range(0, 64), block.Unallocated!);
        Assert.All(block.Allocations!, a => Assert.Null(a));
        Assert.Equal(IPAddress.Parse("10.0.0.0"), block.OrdinalToAddress(block.Unallocated![0]));
        Assert.Equal(1_000_000_000UL, block.SequenceNumber);
        Assert.Contains("\"attributes\":null", IpamJson.Serialize(block));
    }

    [Theory]
    [InlineData("10.0.0.5", 5)]
    [InlineData("10.0.0.63", 63)]
    [InlineData("10.0.0.64", -1)]
    public void Address_to_ordinal_and_back(string address, int ordinal)
    {
        var block = AllocationBlock.Create(IPPrefix.Parse("10.0.0.0/26"), null, DateTimeOffset.UnixEpoch);
        Assert.Equal(ordinal, block.AddressToOrdinal(IPAddress.Parse(address)));
        if (ordinal >= 0) Assert.Equal(address, block.OrdinalToAddress(ordinal).ToString());
    }

    [Fact]
    public void Keys_follow_Calico_layout()
    {
        var cidr = IPPrefix.Parse("10.0.0.0/26");
        Assert.Equal("/calico/ipam/v2/assignment/ipv4/block/10.0.0.0-26", IpamKeys.Block(cidr));
        Assert.Equal("/calico/ipam/v2/host/node1/ipv4/block/10.0.0.0-26", IpamKeys.Affinity("node1", cidr));
        Assert.Equal("/calico/ipam/v2/assignment/ipv6/block/fd00::-122", IpamKeys.Block(IPPrefix.Parse("fd00::/122")));
        Assert.True(IpamKeys.TryDecodeBlockKey("/calico/ipam/v2/assignment/ipv6/block/fd00::-122", out var v6));
        Assert.Equal("fd00::/122", v6.ToString());
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"allocations\":[\"x\",null,null,null]}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"allocations\":[null]}")]
    [InlineData("{\"affinity\":null}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\"} {}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",")]
    [InlineData("{\"cidr\":\"10.0.0.300/30\"}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"unallocated\":[\"1\"]}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"attributes\":[null]}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"attributes\":[{\"secondary\":{\"node\":7}}]}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"sequenceNumber\":-1}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"sequenceNumberForAllocation\":{\"0\":\"x\"}}")]
    [InlineData("{\"cidr\":\"10.0.0.0/30\",\"affinity_claim_time\":\"yesterday\"}")]
    public void Corrupt_blocks_fail_with_a_format_error(string json) =>
        Assert.Throws<FormatException>(() => IpamJson.DeserializeBlock(json));

    [Fact]
    public void A_block_reads_fields_of_other_types_and_unknown_fields_as_Calico_tolerates_them()
    {
        var block = IpamJson.DeserializeBlock(
            "{\"future\":{\"a\":[1,{\"b\":null}]},\"cidr\":\"10.0.0.0/30\",\"affinity\":7,\"allocations\":null,\"unallocated\":[3,2],"
            + "\"attributes\":[{\"handle_id\":\"h\",\"secondary\":{\"node\":null,\"pod\":\"p\"},\"alternateOwnerAttrs\":\"x\",\"extra\":true}],"
            + "\"sequenceNumber\":18446744073709551615,\"deleted\":true,\"hostAffinity\":\"n1\"}");

        Assert.Equal("10.0.0.0/30", block.Cidr.ToString());
        Assert.Null(block.Affinity);
        Assert.Null(block.Allocations);
        Assert.Equal(new[] { 3, 2 }, block.Unallocated!);
        var attribute = Assert.Single(block.Attributes!);
        Assert.Equal("h", attribute.HandleId);
        Assert.Equal(new Dictionary<string, string> { ["node"] = "", ["pod"] = "p" }, attribute.Secondary);
        Assert.Null(attribute.AlternateOwnerAttrs);
        Assert.Equal(ulong.MaxValue, block.SequenceNumber);
        Assert.True(block.Deleted);
        Assert.Equal("n1", block.HostAffinity);
    }

    [Fact]
    public void Affinity_and_handle_values()
    {
        Assert.Equal("{\"state\":\"confirmed\",\"deleted\":false}", IpamJson.Serialize(new BlockAffinity(BlockAffinity.Confirmed)));
        Assert.Equal("", IpamJson.DeserializeAffinity("").State);
        var h = new IPAMHandle { Block = { ["10.0.0.0/26"] = 1 } };
        Assert.Equal("{\"block\":{\"10.0.0.0/26\":1},\"deleted\":false}", IpamJson.Serialize(h));
        Assert.Equal(1, IpamJson.DeserializeHandle(IpamJson.Serialize(h)).Block["10.0.0.0/26"]);
    }
}
