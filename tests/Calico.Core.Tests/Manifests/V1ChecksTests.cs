using Calico.Manifests;

namespace Calico.Tests.Manifests;

/// <summary>
/// The v1 checks calicoctl ran before converting, with the vectors of libcalico-go
/// lib/validator/v1/validator_test.go (projectcalico/calico v3.31.7) for ipPool, IPIPConfiguration and NodeSpec.
/// </summary>
public class V1ChecksTests
{
    private static string PoolManifest(string cidr, string spec = "") =>
        $"apiVersion: v1\nkind: ipPool\nmetadata:\n  cidr: {cidr}\nspec:\n{spec}";

    private static ManifestItem Read(string manifest) => Assert.Single(ManifestReader.Read(manifest, "v1.yaml"));

    [Theory]
    [InlineData("should accept IP pool with IPv4 CIDR /26", "1.2.3.0/26", "", true)]
    [InlineData("should accept IP pool with IPv4 CIDR /10", "1.0.0.0/10", "", true)]
    [InlineData("should accept IP pool with IPv6 CIDR /122", "aabb:aabb::ffc0/122", "", true)]
    [InlineData("should accept IP pool with IPv6 CIDR /10", "aa80::/10", "", true)]
    [InlineData("should accept a disabled IP pool with IPv4 CIDR /27", "1.2.3.0/27", "  disabled: true\n", true)]
    [InlineData("should accept a disabled IP pool with IPv6 CIDR /128", "aabb:aabb::ffff/128", "  disabled: true\n", true)]
    [InlineData("should reject IP pool with IPv4 CIDR /27", "1.2.3.0/27", "", false)]
    [InlineData("should reject IP pool with IPv6 CIDR /128", "aabb:aabb::ffff/128", "", false)]
    [InlineData("should reject IPIP enabled IP pool for IPv6", "aabb:aabb::ffc0/122", "  ipip:\n    enabled: true\n", false)]
    [InlineData("should reject IPv4 pool with a CIDR range overlapping with Link Local range", "169.254.5.0/24", "", false)]
    [InlineData("should reject IPv6 pool with a CIDR range overlapping with Link Local range", "fe80::/120", "", false)]
    [InlineData("should accept IPIP disabled", "10.0.0.0/16", "  ipip:\n    enabled: false\n", true)]
    [InlineData("should reject IPIP disabled with mode badVal", "10.0.0.0/16", "  ipip:\n    enabled: false\n    mode: badVal\n", false)]
    [InlineData("should accept IPIP enabled with no mode", "10.0.0.0/16", "  ipip:\n    enabled: true\n", true)]
    [InlineData("should reject IPIP enabled with mode off", "10.0.0.0/16", "  ipip:\n    enabled: true\n    mode: \"off\"\n", false)]
    [InlineData("should reject IPIP enabled with mode badVal", "10.0.0.0/16", "  ipip:\n    enabled: true\n    mode: badVal\n", false)]
    [InlineData("should accept IPIP enabled with mode always", "10.0.0.0/16", "  ipip:\n    enabled: true\n    mode: always\n", true)]
    [InlineData("should accept IPIP enabled with mode cross-subnet", "10.0.0.0/16", "  ipip:\n    enabled: true\n    mode: cross-subnet\n", true)]
    public void Validator_pool_table(string entry, string cidr, string spec, bool valid)
    {
        var item = Read(PoolManifest(cidr, spec));
        Assert.True(valid == !item.HasErrors, entry + ": " + string.Join("; ", item.Errors));
    }

    [Theory]
    [InlineData("Always")]
    [InlineData("CrossSubnet")]
    [InlineData("ALWAYS")]
    public void IPIP_mode_is_lower_case_only(string mode)
    {
        var error = Assert.Single(Read(PoolManifest("10.0.0.0/16", $"  ipip:\n    enabled: true\n    mode: {mode}\n")).Errors);
        Assert.Equal("spec.ipip.mode", error.Field);
        Assert.Equal(mode, error.Value);
        Assert.Equal(8, error.Line);
    }

    [Fact]
    public void Unmasked_cidr_is_rejected_with_its_line()
    {
        var error = Assert.Single(Read(PoolManifest("192.168.1.5/16")).Errors);
        Assert.Equal(("metadata.cidr", "192.168.1.5/16", 4), (error.Field, error.Value, error.Line));
        Assert.Equal("IP pool CIDR is not strictly masked", error.Message);
    }

    [Fact]
    public void A_bare_address_is_a_host_pool_too_small_unless_disabled()
    {
        Assert.Contains("min /26", Assert.Single(Read(PoolManifest("10.0.0.1")).Errors).Message);
        Assert.False(Read(PoolManifest("10.0.0.1", "  disabled: true\n")).HasErrors);
    }

    [Fact]
    public void Pool_without_cidr_is_rejected()
    {
        var error = Assert.Single(Read("apiVersion: v1\nkind: ipPool\nmetadata: {}\n").Errors);
        Assert.Equal("metadata.cidr", error.Field);
    }

    private static string NodeManifest(string name, string bgp) =>
        $"apiVersion: v1\nkind: node\nmetadata:\n  name: {name}\nspec:\n{bgp}";

    [Theory]
    [InlineData("should accept node with IPv4 BGP", "  bgp:\n    ipv4Address: 1.2.3.4/32\n", true)]
    [InlineData("should accept node with IPv6 BGP", "  bgp:\n    ipv6Address: aabb:aabb::ffff/128\n", true)]
    [InlineData("should accept node with no BGP", "", true)]
    [InlineData("should reject node with BGP but no IPs", "  bgp:\n    asNumber: 1\n", false)]
    [InlineData("should reject node with IPv6 address in IPv4 field", "  bgp:\n    ipv4Address: aabb:aabb::ffff/128\n", false)]
    [InlineData("should reject node with IPv4 address in IPv6 field", "  bgp:\n    ipv6Address: 1.2.3.4/32\n", false)]
    public void Validator_node_table(string entry, string bgp, bool valid)
    {
        var item = Read(NodeManifest("node1", bgp));
        Assert.True(valid == !item.HasErrors, entry + ": " + string.Join("; ", item.Errors));
    }

    [Theory]
    [InlineData(".My-valid-Node_190", true)] // validator_test.go "should accept a valid name" (same name rule)
    [InlineData("my!nvalid-node", false)]
    [InlineData("my-invalid-node$", false)]
    public void Node_name_rule(string name, bool valid)
    {
        Assert.Equal(valid, !Read(NodeManifest($"\"{name}\"", "")).HasErrors);
    }
}
