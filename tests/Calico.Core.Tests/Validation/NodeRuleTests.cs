using Calico.Resources;
using Calico.Validation;
using static Calico.Tests.Validation.ValidationAssert;

namespace Calico.Tests.Validation;

/// <summary>Each Node rule (internalapi/node.go field tags, validator.go:1136-1145), valid and invalid.</summary>
public class NodeRuleTests
{
    private const string V4OrCidr = "must be an IPv4 address, with or without a prefix length (such as 10.0.2.15/24)";
    private const string V6OrCidr = "must be an IPv6 address, with or without a prefix length (such as fd00::15/64)";
    private const string PlainV4 = "must be an IPv4 address without a prefix length";
    private const string PlainV6 = "must be an IPv6 address without a prefix length";

    [Fact]
    public void An_empty_bgp_object_is_refused()
    {
        var error = Single(NodeWithBgp(new NodeBGPSpec()), "spec.bgp", "Spec.BGP should not be empty");
        Assert.Null(error.Value);
    }

    [Fact]
    public void A_bgp_object_with_only_an_AS_number_is_accepted() => Valid(NodeWithBgp(new NodeBGPSpec { ASNumber = 64512 }));

    [Theory]
    [InlineData("10.0.2.15/24")]     // host bits are the point: the node's address and its subnet
    [InlineData("10.0.2.15/32")]
    [InlineData("10.0.2.15")]
    [InlineData("10.0.2.0/24")]
    [InlineData("::ffff:10.0.2.15")] // Go counts an IPv4-mapped address as IPv4
    public void IPv4_address_takes_an_address_with_or_without_prefix(string address) =>
        Valid(NodeWithBgp(new NodeBGPSpec { IPv4Address = address }));

    [Theory]
    [InlineData("fd00::15")]
    [InlineData("10.0.2.256/24")]
    [InlineData("10.0.2.15/33")]
    [InlineData("10.0.2.15/")]
    [InlineData("10.0.2")]
    [InlineData("eth0")]
    public void IPv4_address_refuses_anything_else(string address)
    {
        var error = Single(NodeWithBgp(new NodeBGPSpec { IPv4Address = address }), "spec.bgp.ipv4Address", V4OrCidr);
        Assert.Equal(address, error.Value);
    }

    [Theory]
    [InlineData("fd00::15/64")]
    [InlineData("fd00::15")]
    [InlineData("2001:db8::1/128")]
    public void IPv6_address_takes_an_address_with_or_without_prefix(string address) =>
        Valid(NodeWithBgp(new NodeBGPSpec { IPv6Address = address }));

    [Theory]
    [InlineData("10.0.2.15/24")]
    [InlineData("fd00::15/129")]
    [InlineData("fd00:::15")]
    public void IPv6_address_refuses_anything_else(string address) =>
        Single(NodeWithBgp(new NodeBGPSpec { IPv6Address = address }), "spec.bgp.ipv6Address", V6OrCidr);

    public static TheoryData<string, Action<Node, string>, int> PlainAddressFields() => new()
    {
        { "spec.bgp.ipv4IPIPTunnelAddr", (n, v) => n.Spec.BGP = new NodeBGPSpec { IPv4IPIPTunnelAddr = v }, 4 },
        { "spec.bgp.routeReflectorClusterID", (n, v) => n.Spec.BGP = new NodeBGPSpec { RouteReflectorClusterID = v }, 4 },
        { "spec.ipv4VXLANTunnelAddr", (n, v) => n.Spec.IPv4VXLANTunnelAddr = v, 4 },
        { "spec.wireguard.interfaceIPv4Address", (n, v) => n.Spec.Wireguard = new NodeWireguardSpec { InterfaceIPv4Address = v }, 4 },
        { "spec.ipv6VXLANTunnelAddr", (n, v) => n.Spec.IPv6VXLANTunnelAddr = v, 6 },
        { "spec.wireguard.interfaceIPv6Address", (n, v) => n.Spec.Wireguard = new NodeWireguardSpec { InterfaceIPv6Address = v }, 6 },
    };

    [Theory]
    [MemberData(nameof(PlainAddressFields))]
    public void Tunnel_addresses_and_cluster_ID_are_plain_addresses_of_their_family(string field, Action<Node, string> set, int family)
    {
        var good = family == 4 ? "192.168.10.0" : "fd00:10::1";
        var wrongFamily = family == 4 ? "fd00:10::1" : "192.168.10.0";
        Valid(Node(n => set(n, good)));
        var message = family == 4 ? PlainV4 : PlainV6;
        foreach (var bad in new[] { good + (family == 4 ? "/32" : "/128"), wrongFamily, "300.34.3.1", "abcdef" })
        {
            var error = Single(Node(n => set(n, bad)), field, message);
            Assert.Equal(bad, error.Value);
        }
    }

    [Theory]
    [InlineData("00:00:5e:00:53:01")]
    [InlineData("00-00-5E-00-53-01")]
    [InlineData("0000.5e00.5301")]
    [InlineData("02:00:5e:10:00:00:00:01")]
    [InlineData("0200.5e10.0000.0001")]
    [InlineData("00:00:00:00:fe:80:00:00:00:00:00:00:02:00:5e:10:00:00:00:01")]
    [InlineData("0000.0000.fe80.0000.0000.0000.0200.5e10.0000.0001")]
    public void VXLAN_MAC_fields_take_every_form_Go_parses(string mac)
    {
        Valid(Node(n => n.Spec.VXLANTunnelMACAddr = mac));
        Valid(Node(n => n.Spec.VXLANTunnelMACAddrV6 = mac));
    }

    [Theory]
    [InlineData("00:00:5e:00:53")]          // 5 octets
    [InlineData("00:00:5e:00:53:01:02")]    // 7 octets
    [InlineData("00:00-5e:00:53:01")]       // mixed separators
    [InlineData("00:00:5e:00:53:0g")]
    [InlineData("0:00:5e:00:53:01")]
    [InlineData("00005e005301")]            // no separators
    [InlineData("0000.5e00-5301")]
    [InlineData("0000:5e00:5301")]
    [InlineData("00:00:5e:00:53:01 ")]
    public void VXLAN_MAC_fields_refuse_what_Go_refuses(string mac)
    {
        const string message = "invalid MAC address: expected 6, 8 or 20 hex octets such as 00:00:5e:00:53:01, 00-00-5e-00-53-01 or 0000.5e00.5301";
        Single(Node(n => n.Spec.VXLANTunnelMACAddr = mac), "spec.vxlanTunnelMACAddr", message);
        Single(Node(n => n.Spec.VXLANTunnelMACAddrV6 = mac), "spec.vxlanTunnelMACAddrV6", message);
    }

    [Theory]
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY=")]
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgZ=")] // non-zero spare bits: Go's lenient base64 allows them
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh4\n4yfq1wKVjLvSXgY=")] // Go skips line breaks
    public void Wireguard_keys_are_32_bytes_of_base64(string key)
    {
        Valid(Node(n => n.Status.WireguardPublicKey = key));
        Valid(Node(n => n.Status.WireguardPublicKeyV6 = key));
    }

    [Theory]
    [InlineData("foobar")]
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY")]    // unpadded
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXg==")]   // 31 bytes
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgYA")]   // 33 bytes
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvSXgY= ")]
    [InlineData("jlkVyQYooZYzI2wFfNhSZez5eWh44yfq1wKVjLvS-gY=")]   // URL alphabet
    public void Other_wireguard_keys_are_refused(string key)
    {
        const string message = "must be a WireGuard public key: 32 bytes in standard base64 (44 characters ending in '=')";
        Single(Node(n => n.Status.WireguardPublicKey = key), "status.wireguardPublicKey", message);
        Single(Node(n => n.Status.WireguardPublicKeyV6 = key), "status.wireguardPublicKeyV6", message);
    }

    [Fact]
    public void Addresses_interfaces_orchRefs_and_pod_CIDRs_are_not_checked()
    {
        // Calico declares `net`, `ipType` and `name` on these but never dives into the lists, and fills
        // spec.addresses itself with host-bit CIDRs such as 10.0.2.15/24.
        Valid(Node(n =>
        {
            n.Spec.BGP = new NodeBGPSpec { IPv4Address = "10.0.2.15/24" };
            n.Spec.Addresses = [new NodeAddress { Address = "10.0.2.15/24", Type = "CalicoNodeIP" }, new NodeAddress { Address = "junk", Type = "Other" }];
            n.Spec.Interfaces = [new NodeInterface { Name = "Eth_0", Addresses = ["not an address"] }];
            n.Spec.OrchRefs = [new OrchRef { NodeName = "Node 1", Orchestrator = "" }];
            n.Status.PodCIDRs = ["nonsense"];
        }));
    }

    [Fact]
    public void A_pre_v2_1_node_stored_as_32_is_valid()
    {
        // Calico accepts it; the missing subnet is a problem for CrossSubnet routing, not for validation.
        Valid(NodeWithBgp(new NodeBGPSpec { IPv4Address = "10.0.2.10/32", ASNumber = 64512 }));
    }

    [Fact]
    public void Every_node_problem_is_reported_at_once()
    {
        var node = Node(n =>
        {
            n.Spec.BGP = new NodeBGPSpec { IPv4Address = "fd00::1", IPv4IPIPTunnelAddr = "10.0.0.1/32" };
            n.Spec.VXLANTunnelMACAddr = "zz";
            n.Status.WireguardPublicKey = "x";
        });
        Assert.Equal(["spec.bgp.ipv4Address", "spec.bgp.ipv4IPIPTunnelAddr", "spec.vxlanTunnelMACAddr", "status.wireguardPublicKey"],
            ResourceValidator.Validate(node).Select(e => e.Field));
    }
}
