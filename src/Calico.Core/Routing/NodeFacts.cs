using System.Net;
using System.Net.Sockets;
using Calico.Net;
using Calico.Resources;

namespace Calico.Routing;

/// <summary>A node's VXLAN tunnel endpoint as felix's VXLAN resolver sends it (vxlan_resolver.go:284-296).</summary>
internal sealed record Vtep(IPAddress TunnelAddress, string Mac, bool MacIsValid, IPAddress NodeAddress);

/// <summary>
/// What felix derives from one Node resource, each part by the rules of the felix component that uses it. They differ:
/// the route resolver reads a bare address as a /32, host metadata (used for IPIP gateways and the host interface)
/// ignores a bare address at HEAD, and a VTEP needs a bgp section.
/// </summary>
internal sealed class NodeFacts
{
    public required string Name { get; init; }

    // The route resolver's node info (l3_route_resolver.go:352-430); null when felix keeps none for the node.
    public NodeIP? V4 { get; init; }
    public NodeIP? V6 { get; init; }
    public bool HasRouteInfo => V4 is not null || V6 is not null;

    /// <summary>Tunnel and WireGuard addresses, which the resolver records only for nodes it keeps info for (400-420).</summary>
    public NetKey[] TunnelKeys { get; init; } = [];

    /// <summary>The node's own addresses as host entries (AddressesAsCIDRs, 147-172).</summary>
    public NetKey[] HostKeys { get; init; } = [];

    // Host metadata addresses (felix/calc/dataplane_passthru.go:133-200).
    public IPAddress? HostAddressV4 { get; init; }
    public IPAddress? HostAddressV6 { get; init; }
    /// <summary>The bgp address text that host metadata ignored for lacking a prefix, if it did.</summary>
    public string? IgnoredBareAddressV4 { get; init; }

    public Vtep? VtepV4 { get; init; }
    public Vtep? VtepV6 { get; init; }

    /// <summary>This node's tunl0 address when it is the local node (felixnodeprocessor.go:66-79).</summary>
    public IPAddress? IPIPTunnelAddress { get; init; }

    public IReadOnlyList<string> Problems { get; init; } = [];

    public NodeIP? Address(int family) => family == 6 ? V6 : V4;
    public IPAddress? HostAddress(int family) => family == 6 ? HostAddressV6 : HostAddressV4;
    public Vtep? VtepFor(int family) => family == 6 ? VtepV6 : VtepV4;

    public static NodeFacts From(Node node, NodeNames names)
    {
        var problems = new List<string>();
        var bgp = node.Spec.BGP;
        NodeIP? v4 = null, v6 = null;
        if (bgp is not null && (!string.IsNullOrEmpty(bgp.IPv4Address) || !string.IsNullOrEmpty(bgp.IPv6Address)))
        {
            // cnet.ParseCIDROrIP: a bare address becomes a /32 (or /128) (l3_route_resolver.go:358-375).
            v4 = NodeIP.Parse(bgp.IPv4Address, 4, "spec.bgp.ipv4Address", problems);
            v6 = NodeIP.Parse(bgp.IPv6Address, 6, "spec.bgp.ipv6Address", problems);
        }
        else
        {
            // Without bgp addresses the resolver falls back to InternalIP, then ExternalIP (376-397).
            v4 = FindNodeAddress(node, 4);
            v6 = FindNodeAddress(node, 6);
        }

        var hasInfo = v4 is not null || v6 is not null;
        var tunnelKeys = new List<NetKey>();
        var hostKeys = new List<NetKey>();
        if (hasInfo)
        {
            AddTunnel(bgp?.IPv4IPIPTunnelAddr, tunnelKeys);
            AddTunnel(node.Spec.IPv4VXLANTunnelAddr, tunnelKeys);
            AddTunnel(node.Spec.IPv6VXLANTunnelAddr, tunnelKeys);
            AddTunnel(node.Spec.Wireguard?.InterfaceIPv4Address, tunnelKeys);
            AddTunnel(node.Spec.Wireguard?.InterfaceIPv6Address, tunnelKeys);
            if (v4 is not null) hostKeys.Add(v4.Key);
            if (v6 is not null) hostKeys.Add(v6.Key);
            foreach (var a in node.Spec.Addresses ?? [])
            {
                if (IPPrefix.TryParseAddressOrPrefix(a.Address, out var p, out _)) hostKeys.Add(NetKey.FromAddress(p.Address));
            }
        }

        var hostV4 = HostMetadataAddress(node, 4, out var ignoredV4);
        var hostV6 = HostMetadataAddress(node, 6, out _);

        return new NodeFacts
        {
            Name = names.Intern(node.Name),
            V4 = v4,
            V6 = v6,
            TunnelKeys = tunnelKeys.Distinct().ToArray(),
            HostKeys = hostKeys.Distinct().ToArray(),
            HostAddressV4 = hostV4,
            HostAddressV6 = hostV6,
            IgnoredBareAddressV4 = ignoredV4,
            VtepV4 = VtepOf(node, 4, problems),
            VtepV6 = VtepOf(node, 6, problems),
            IPIPTunnelAddress = bgp is null ? null : ParseIP(bgp.IPv4IPIPTunnelAddr, AddressFamily.InterNetwork),
            Problems = problems,
        };
    }

    private static void AddTunnel(string? text, List<NetKey> keys)
    {
        if (IPParser.TryParse(text, out var address)) keys.Add(NetKey.FromAddress(address));
    }

    /// <summary>libcalico-go/lib/resources/node.go:26-42, InternalIP first, then ExternalIP.</summary>
    private static NodeIP? FindNodeAddress(Node node, int family)
    {
        foreach (var type in new[] { "InternalIP", "ExternalIP" })
        {
            foreach (var a in node.Spec.Addresses ?? [])
            {
                if (a.Type != type || !IPPrefix.TryParseAddressOrPrefix(a.Address, out var p, out _)) continue;
                if (p.Family == family) return new NodeIP(a.Address, p);
            }
        }
        return null;
    }

    /// <summary>
    /// extractNodeAddress (dataplane_passthru.go:161-201): the bgp address only when written as a CIDR, else the
    /// InternalIP/ExternalIP fallback. An all-empty bgp section drops the node's host metadata (133-140).
    /// </summary>
    private static IPAddress? HostMetadataAddress(Node node, int family, out string? ignoredBare)
    {
        ignoredBare = null;
        var bgp = node.Spec.BGP;
        if (bgp is not null && bgp.IsEmpty) return null;
        var text = family == 6 ? bgp?.IPv6Address : bgp?.IPv4Address;
        if (!string.IsNullOrEmpty(text))
        {
            if (IPPrefix.TryParse(text, out var cidr)) return cidr.Address;
            ignoredBare = text;
        }
        return FindNodeAddress(node, family)?.Address;
    }

    /// <summary>
    /// vxlan_resolver.go:97-118,237-311: a VTEP needs a bgp section with the node address, a tunnel address, and a MAC
    /// (the configured one, else generated). felixnodeprocessor.go:81-131 drops a tunnel address that does not parse.
    /// </summary>
    private static Vtep? VtepOf(Node node, int family, List<string> problems)
    {
        var bgp = node.Spec.BGP;
        if (bgp is null) return null;
        var addressText = family == 6 ? bgp.IPv6Address : bgp.IPv4Address;
        if (string.IsNullOrEmpty(addressText) || !IPPrefix.TryParseAddressOrPrefix(addressText, out var nodeAddress, out _)
            || nodeAddress.Family != family)
            return null;
        var tunnel = ParseIP(family == 6 ? node.Spec.IPv6VXLANTunnelAddr : node.Spec.IPv4VXLANTunnelAddr,
            family == 6 ? AddressFamily.InterNetworkV6 : AddressFamily.InterNetwork);
        if (tunnel is null) return null;
        var configured = family == 6 ? node.Spec.VXLANTunnelMACAddrV6 : node.Spec.VXLANTunnelMACAddr;
        if (string.IsNullOrEmpty(configured)) return new Vtep(tunnel, VtepMac.Generate(node.Name, family), true, nodeAddress.Address);
        if (VtepMac.TryNormalize(configured, out var mac)) return new Vtep(tunnel, mac, true, nodeAddress.Address);
        var field = family == 6 ? "spec.vxlanTunnelMACAddrV6" : "spec.vxlanTunnelMACAddr";
        problems.Add($"{field} '{configured}' is not a 6-byte MAC: felix skips this VTEP's neighbour and FDB entries (vxlan_mgr.go:241-246)");
        return new Vtep(tunnel, configured, false, nodeAddress.Address);
    }

    private static IPAddress? ParseIP(string? text, AddressFamily family) =>
        IPParser.TryParse(text, out var a) && a.AddressFamily == family ? a : null;
}

/// <summary>A node address as the route resolver keeps it: the address, its masked prefix, and the text as stored.</summary>
internal sealed class NodeIP
{
    public NodeIP(string text, IPPrefix parsed)
    {
        Text = text;
        Address = parsed.Address;
        Key = NetKey.FromAddress(parsed.Address);
        Subnet = NetKey.FromPrefix(parsed);
    }

    public string Text { get; }
    public IPAddress Address { get; }
    public NetKey Key { get; }
    /// <summary>The masked prefix; for a /32 (or bare) address, just the address.</summary>
    public NetKey Subnet { get; }
    public bool HasSubnet => !Subnet.IsHost;

    /// <summary>The subnet as reasons print it, made once: a plan prints it in thousands of reasons.</summary>
    public string SubnetText => _subnetText ??= Subnet.ToString();
    private string? _subnetText;

    public static NodeIP? Parse(string? text, int family, string field, List<string> problems)
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (IPPrefix.TryParseAddressOrPrefix(text, out var p, out _) && p.Family == family) return new NodeIP(text, p);
        problems.Add($"{field} '{text}' is not an IPv{family} address or CIDR; the node's IPv{family} address is ignored");
        return null;
    }
}
