using Calico.Manifests;
using Calico.Net;
using Calico.Resources;

namespace Calico.Tests.Manifests;

/// <summary>
/// libcalico-go's converter test vectors, ported case by case (projectcalico/calico v3.31.7,
/// libcalico-go/lib/upgrade/converters/*_test.go; the same cases as lcg:lib/upgrade/converters).
/// </summary>
public class V1ConverterTests
{
    private static V1IPPool Pool(string cidr, bool? enabled, string mode, bool nat, bool disabled) => new()
    {
        Cidr = IPPrefix.Parse(cidr),
        IPIP = enabled is { } e ? new V1IPIPConfiguration { Enabled = e, Mode = mode } : null,
        NatOutgoing = nat,
        Disabled = disabled,
    };

    // ippool_test.go poolTable: (entry, v1 CIDR written with MustParseCIDR so host bits stay, ipip, → v3 name, cidr, mode, blockSize)
    [Theory]
    [InlineData("fully populated IPv4 IPPool", "10.0.0.1/24", true, "", false, false, "10-0-0-1-24", IPIPMode.Always, 26)]
    [InlineData("fully populated IPv6 IPPool", "2001::/120", true, "always", false, true, "2001---120", IPIPMode.Always, 122)]
    [InlineData("IPIPMode blank, should be converted to IPIPMode Never", "5.5.5.5/25", false, "", true, true, "5-5-5-5-25", IPIPMode.Never, 26)]
    [InlineData("IPIPMode unspecified, should be converted to IPIPMode Never", "6.6.6.6/26", false, "", true, true, "6-6-6-6-26", IPIPMode.Never, 26)]
    [InlineData("partially populated IPv4 IPPool with IPIPMode set to cross-subnet", "1.1.1.1/11", true, "cross-subnet", false, true, "1-1-1-1-11", IPIPMode.CrossSubnet, 26)]
    public void Pool_table(string entry, string cidr, bool enabled, string mode, bool nat, bool disabled, string name, IPIPMode ipipMode, int blockSize)
    {
        var v3 = V1Converter.Convert(Pool(cidr, enabled, mode, nat, disabled));
        Assert.Equal(name, v3.Name);
        Assert.Equal(cidr, v3.Spec.Cidr);
        Assert.Equal(ipipMode, v3.Spec.IPIPMode);
        Assert.Equal(VXLANMode.Never, v3.Spec.VXLANMode);
        Assert.Equal(nat, v3.Spec.NatOutgoing);
        Assert.Equal(disabled, v3.Spec.Disabled);
        Assert.Equal(blockSize, v3.Spec.BlockSize);
        Assert.Equal("all()", v3.Spec.NodeSelector);
        Assert.Equal([IPPoolAllowedUse.Workload, IPPoolAllowedUse.Tunnel], v3.Spec.AllowedUses);
        Assert.Equal(AssignmentMode.Automatic, v3.Spec.AssignmentMode);
    }

    [Theory]
    [InlineData("always")]
    [InlineData("cross-subnet")]
    [InlineData("")]
    public void Pool_with_ipip_disabled_is_Never_whatever_the_mode(string mode)
    {
        // ippool.go convertIPIPMode: no ipip interface (enabled false) → Never before the mode is looked at.
        Assert.Equal(IPIPMode.Never, V1Converter.Convert(Pool("10.0.0.0/16", false, mode, false, false)).Spec.IPIPMode);
    }

    [Fact]
    public void Pool_without_ipip_is_Never()
    {
        Assert.Equal(IPIPMode.Never, V1Converter.Convert(Pool("10.0.0.0/16", null, "", false, false)).Spec.IPIPMode);
    }

    [Fact]
    public void Pool_without_cidr_cannot_convert()
    {
        Assert.Throws<ArgumentException>(() => V1Converter.Convert(new V1IPPool()));
    }

    // names/cidr.go CIDRToName, with the vectors of ippool_test.go and the reference (§3.2).
    [Theory]
    [InlineData("192.168.0.0/16", "192-168-0-0-16")]
    [InlineData("10.0.0.1/24", "10-0-0-1-24")]
    [InlineData("2001::/120", "2001---120")]
    [InlineData("fd00::/48", "fd00---48")]
    [InlineData("1:2:3:4:5:6:7:8/128", "1-2-3-4-5-6-7-8-128")]
    public void Pool_name_comes_from_the_cidr(string cidr, string name)
    {
        Assert.Equal(name, ResourceNames.FromCidr(IPPrefix.Parse(cidr)));
    }

    // names_test.go nodeNamesTable, every entry.
    [Theory]
    [InlineData("abc-def", "abc-def")]
    [InlineData("abc---def", "abc---def")]
    [InlineData("abc/def", "abc.def")]
    [InlineData("abc$$def", "abc-def")]
    [InlineData("abc$!$def", "abc-def")]
    [InlineData("abc..def", "abc.def")]
    [InlineData("abc...def", "abc.def")]
    [InlineData("abc.-def", "abc.def")]
    [InlineData("abc.-.def", "abc.def")]
    [InlineData("abc-.def", "abc.def")]
    [InlineData("abc-.-def", "abc.def")]
    [InlineData("aBcDe019", "abcde019")]
    [InlineData("abc$def", "abc-def")]
    [InlineData("-abc.def", "abc.def")]
    [InlineData("abc.def-", "abc.def")]
    [InlineData(".abc.def", "abc.def")]
    [InlineData("abc.def.", "abc.def")]
    [InlineData("-.abc.def", "abc.def")]
    [InlineData("abc.def.-", "abc.def")]
    [InlineData("$ABC/DEF-123.-456!", "abc.def-123.456")]
    public void Node_name_table(string v1, string v3)
    {
        Assert.Equal(v3, ResourceNames.FromNodeName(v1));
    }

    [Theory]
    [InlineData("node_1", "node-1")]
    [InlineData("Ünïcode-host", "n-code-host")]
    [InlineData("host\u212Aname", "hostkname")] // Go lowers the Kelvin sign to k, as .NET's invariant mapping does
    [InlineData("a$-b", "a--b")]
    public void Node_names_beyond_the_table_follow_the_same_rules(string v1, string v3)
    {
        Assert.Equal(v3, ResourceNames.FromNodeName(v1));
    }

    private static readonly ASNumber Asn1 = new(1);

    private static V1Node Node(string name, string? v4, string? v6, ASNumber? asn = null, List<OrchRef>? orchRefs = null) => new()
    {
        Name = name,
        BGP = new V1NodeBGPSpec
        {
            ASNumber = asn,
            IPv4Address = v4 is null ? null : IPPrefix.Parse(v4),
            IPv6Address = v6 is null ? null : IPPrefix.Parse(v6),
        },
        OrchRefs = orchRefs,
    };

    // node_test.go nodeTable.
    [Fact]
    public void Valid_basic_v1_node_has_data_moved_to_right_place()
    {
        var v3 = V1Converter.Convert(Node("my-node", "192.168.1.1/24", "fed::5/64", Asn1));
        Assert.Equal("my-node", v3.Name);
        Assert.Equal(Asn1, v3.Spec.BGP!.ASNumber);
        Assert.Equal("192.168.1.1/24", v3.Spec.BGP.IPv4Address);
        Assert.Equal("fed::5/64", v3.Spec.BGP.IPv6Address);
    }

    [Fact]
    public void Check_name_conversion()
    {
        Assert.Equal("mynode.here", V1Converter.Convert(Node("myNode.here", "192.168.1.1/24", "fed::5/64", Asn1)).Name);
    }

    [Fact]
    public void Conversion_with_only_IPv6()
    {
        var bgp = V1Converter.Convert(Node("my-node", null, "fed::5/64")).Spec.BGP!;
        Assert.Null(bgp.IPv4Address);
        Assert.Equal("fed::5/64", bgp.IPv6Address);
        Assert.Null(bgp.ASNumber);
    }

    [Fact]
    public void Conversion_with_only_IPv4()
    {
        var bgp = V1Converter.Convert(Node("my-node", "192.168.1.1/24", null)).Spec.BGP!;
        Assert.Equal("192.168.1.1/24", bgp.IPv4Address);
        Assert.Null(bgp.IPv6Address);
    }

    [Fact]
    public void Conversion_with_OrchRefs()
    {
        var v3 = V1Converter.Convert(Node("my-node", "192.168.1.1/24", null, orchRefs:
            [new OrchRef { Orchestrator = "orch1" }, new OrchRef { Orchestrator = "orch2", NodeName = "orch2NodeName" }]));
        Assert.Equal([new OrchRef { Orchestrator = "orch1" }, new OrchRef { Orchestrator = "orch2", NodeName = "orch2NodeName" }], v3.Spec.OrchRefs);
    }

    // node_test.go nodeKVtoV3Table "Conversion without the Net fields": an address without a subnet is /32 (/128).
    // Through the v1 API that is an address written without a prefix (lib/net ParseCIDROrIP).
    [Fact]
    public void Address_without_prefix_becomes_a_host_prefix()
    {
        var item = Assert.Single(ManifestReader.Read("""
            apiVersion: v1
            kind: node
            metadata:
              name: my-node
            spec:
              bgp:
                asNumber: 1
                ipv4Address: 192.168.1.1
                ipv6Address: fed::5
            """));
        var bgp = V1Converter.Convert((V1Node)item.V1!).Spec.BGP!;
        Assert.Equal("192.168.1.1/32", bgp.IPv4Address);
        Assert.Equal("fed::5/128", bgp.IPv6Address);
    }

    // node_test.go nodeV1FailTable "No IPv4 or IPv6 Address".
    [Fact]
    public void Node_with_bgp_but_no_address_cannot_convert()
    {
        Assert.Throws<ArgumentException>(() => V1Converter.Convert(Node("my-node", null, null, Asn1)));
    }

    [Fact]
    public void Node_without_bgp_has_no_bgp_and_empty_orch_refs_are_dropped()
    {
        var v3 = V1Converter.Convert(new V1Node { Name = "node1", OrchRefs = [] });
        Assert.Null(v3.Spec.BGP);
        Assert.Null(v3.Spec.OrchRefs);
    }

    [Fact]
    public void Convert_dispatches_on_the_v1_kind()
    {
        Assert.IsType<IPPool>(V1Converter.Convert((V1Resource)Pool("10.0.0.0/16", null, "", false, false)));
        Assert.IsType<Node>(V1Converter.Convert((V1Resource)new V1Node { Name = "n" }));
    }
}
