using Calico.Resources;

namespace Calico.Validation;

/// <summary>
/// Every rule Calico applies to a Node (libcalico-go/lib/apis/internalapi/node.go:46-136 field tags,
/// libcalico-go/lib/validator/v3/validator.go:1136-1145 validateNodeSpec). Node has no CRD, so there are
/// no schema or CEL rules.
/// spec.addresses, spec.interfaces and spec.orchRefs carry validate tags (`net`, `ipType`, `name`), but
/// their list fields lack `dive`, so go-playground/validator never looks inside them and Calico accepts
/// any content (internalapi/node.go:63-72). Calico itself fills spec.addresses with host-bit CIDRs such as
/// 10.0.2.15/24 (libcalico-go/lib/backend/k8s/resources/node.go:307-325), which `net` would refuse;
/// checking them would reject Calico's own nodes. status.podCIDRs has no check either.
/// </summary>
internal static class NodeRules
{
    public static void Check(Node node, ErrorSink errors)
    {
        var spec = node.Spec;
        if (spec.BGP is { } bgp)
        {
            if (bgp.IsEmpty) errors.Add("spec.bgp", null, "Spec.BGP should not be empty");
            AddressOrCidr(bgp.IPv4Address, 4, "spec.bgp.ipv4Address", errors);
            AddressOrCidr(bgp.IPv6Address, 6, "spec.bgp.ipv6Address", errors);
            PlainAddress(bgp.IPv4IPIPTunnelAddr, 4, "spec.bgp.ipv4IPIPTunnelAddr", errors);
            // A route reflector cluster ID is written as an IPv4 address even on IPv6-only nodes (internalapi/node.go:126).
            PlainAddress(bgp.RouteReflectorClusterID, 4, "spec.bgp.routeReflectorClusterID", errors);
        }
        PlainAddress(spec.IPv4VXLANTunnelAddr, 4, "spec.ipv4VXLANTunnelAddr", errors);
        PlainAddress(spec.IPv6VXLANTunnelAddr, 6, "spec.ipv6VXLANTunnelAddr", errors);
        Mac(spec.VXLANTunnelMACAddr, "spec.vxlanTunnelMACAddr", errors);
        Mac(spec.VXLANTunnelMACAddrV6, "spec.vxlanTunnelMACAddrV6", errors);
        if (spec.Wireguard is { } wireguard)
        {
            PlainAddress(wireguard.InterfaceIPv4Address, 4, "spec.wireguard.interfaceIPv4Address", errors);
            PlainAddress(wireguard.InterfaceIPv6Address, 6, "spec.wireguard.interfaceIPv6Address", errors);
        }
        WireguardKey(node.Status.WireguardPublicKey, "status.wireguardPublicKey", errors);
        WireguardKey(node.Status.WireguardPublicKeyV6, "status.wireguardPublicKeyV6", errors);
    }

    // Each check skips an empty value: every tag starts with omitempty.

    private static void AddressOrCidr(string? value, int family, string field, ErrorSink errors)
    {
        if (!string.IsNullOrEmpty(value) && !AddressRules.IsAddressOrCidr(value, family))
            errors.Add(field, value, $"must be an IPv{family} address, with or without a prefix length (such as {(family == 4 ? "10.0.2.15/24" : "fd00::15/64")})");
    }

    private static void PlainAddress(string? value, int family, string field, ErrorSink errors)
    {
        if (string.IsNullOrEmpty(value)) return;
        if (family == 4 ? AddressRules.IsIPv4(value) : AddressRules.IsIPv6(value)) return;
        errors.Add(field, value, $"must be an IPv{family} address without a prefix length");
    }

    private static void Mac(string? value, string field, ErrorSink errors)
    {
        if (!string.IsNullOrEmpty(value) && !AddressRules.IsMac(value))
            errors.Add(field, value, "invalid MAC address: expected 6, 8 or 20 hex octets such as 00:00:5e:00:53:01, 00-00-5e-00-53-01 or 0000.5e00.5301");
    }

    private static void WireguardKey(string? value, string field, ErrorSink errors)
    {
        if (!string.IsNullOrEmpty(value) && !WireguardKeyRule.IsValidKey(value))
            errors.Add(field, value, "must be a WireGuard public key: 32 bytes in standard base64 (44 characters ending in '=')");
    }
}
