using Calico.Resources;
using Calico.Serialization;

namespace Calico.Tests.Serialization;

public class ResourceJsonTests
{
    // The reference's example of what libcalico-go's client stores for a pool, defaults included.
    private const string StoredPool =
        "{\"kind\":\"IPPool\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"p1\",\"uid\":\"0d4c6c4e-3c7a-4b7e-9d52-2a1e5b0c9f11\",\"creationTimestamp\":\"2026-01-01T00:00:00Z\"},"
        + "\"spec\":{\"cidr\":\"192.168.0.0/16\",\"vxlanMode\":\"Never\",\"ipipMode\":\"CrossSubnet\",\"natOutgoing\":true,\"blockSize\":26,\"nodeSelector\":\"all()\",\"allowedUses\":[\"Workload\",\"Tunnel\"],\"assignmentMode\":\"Automatic\"}}";

    [Fact]
    public void Stored_pool_round_trips_byte_for_byte()
    {
        var pool = ResourceJson.Deserialize<IPPool>(StoredPool);
        Assert.Equal(IPIPMode.CrossSubnet, pool.Spec.IPIPMode);
        Assert.Equal(26, pool.Spec.BlockSize);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), pool.Metadata.CreationTimestamp);
        Assert.Equal(StoredPool, ResourceJson.Serialize(pool));
    }

    [Fact]
    public void Node_always_writes_spec_and_status_objects()
    {
        var node = new Node { Name = "node1" };
        Assert.Equal("{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"node1\",\"creationTimestamp\":null},\"spec\":{},\"status\":{}}",
            ResourceJson.Serialize(node));
    }

    [Fact]
    public void Strings_are_escaped_as_Go_escapes_them()
    {
        var pool = new IPPool { Name = "p", Spec = { Cidr = "10.0.0.0/8", NodeSelector = "a == 'x' && b < \"y\" é" } };
        var json = ResourceJson.Serialize(pool);
        Assert.Contains("\"nodeSelector\":\"a == 'x' \\u0026\\u0026 b \\u003c \\\"y\\\" é\"", json);
    }

    [Fact]
    public void Labels_are_written_in_byte_order()
    {
        var node = new Node { Name = "n", Metadata = { Name = "n", Labels = new() { ["zone"] = "b", ["Zone"] = "a", ["app"] = "c" } } };
        Assert.Contains("\"labels\":{\"Zone\":\"a\",\"app\":\"c\",\"zone\":\"b\"}", ResourceJson.Serialize(node));
    }

    [Fact]
    public void Node_with_bgp_round_trips_and_exposes_its_subnet()
    {
        const string json = "{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"node1\",\"creationTimestamp\":null},"
            + "\"spec\":{\"bgp\":{\"asNumber\":64512,\"ipv4Address\":\"10.0.2.15/24\",\"ipv4IPIPTunnelAddr\":\"192.168.10.0\"},\"orchRefs\":[{\"nodeName\":\"node1\",\"orchestrator\":\"k8s\"}]},\"status\":{}}";
        var node = ResourceJson.Deserialize<Node>(json);
        Assert.Equal("10.0.2.0/24", node.IPv4Subnet?.ToString());
        Assert.Equal(64512u, node.ASNumber?.Value);
        Assert.Equal(json, ResourceJson.Serialize(node));
    }

    [Theory]
    [InlineData("10.0.2.10/32")]
    [InlineData("10.0.2.10")]
    public void Host_only_address_has_no_subnet(string address)
    {
        var node = new Node { Spec = { BGP = new NodeBGPSpec { IPv4Address = address } } };
        Assert.Null(node.IPv4Subnet);
    }

    [Fact]
    public void Dotted_AS_number_is_read_and_written_plain()
    {
        var node = ResourceJson.Deserialize<Node>("{\"kind\":\"Node\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"n\"},\"spec\":{\"bgp\":{\"asNumber\":\"1.10\"}}}");
        Assert.Equal((1u << 16) + 10, node.ASNumber?.Value);
        Assert.Contains("\"asNumber\":65546", ResourceJson.Serialize(node));
    }

    [Fact]
    public void Every_problem_is_reported_with_its_field()
    {
        var ex = Assert.Throws<ManifestException>(() => ResourceJson.Deserialize(
            "{\"kind\":\"IPPool\",\"apiVersion\":\"projectcalico.org/v3\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"cidr\":\"10.0.0.0/8\",\"ipipMode\":\"sometimes\",\"blockSize\":\"26\",\"colour\":1}}"));
        Assert.Collection(ex.Errors,
            e => { Assert.Equal("spec.ipipMode", e.Field); Assert.Equal("sometimes", e.Value); },
            e => Assert.Equal("spec.blockSize", e.Field),
            e => { Assert.Equal("spec.colour", e.Field); Assert.Equal("unknown field", e.Message); });
    }

    [Fact]
    public void Indented_output_matches_Go_MarshalIndent()
    {
        var pool = new IPPool { Name = "p", Spec = { Cidr = "10.0.0.0/8", AllowedUses = new() { IPPoolAllowedUse.Workload } } };
        Assert.Equal("{\n  \"kind\": \"IPPool\",\n  \"apiVersion\": \"projectcalico.org/v3\",\n  \"metadata\": {\n    \"name\": \"p\",\n    \"creationTimestamp\": null\n  },\n"
            + "  \"spec\": {\n    \"cidr\": \"10.0.0.0/8\",\n    \"allowedUses\": [\n      \"Workload\"\n    ]\n  }\n}", ResourceJson.Serialize(pool, indent: true));
    }
}
