using System.Text.Json;

namespace Calico.Dataplane.Kernel.Json;

/// <summary>Reads `ip -details -json link show` (and the link part of `ip -json address show`).</summary>
internal static class LinkJson
{
    public static IReadOnlyList<Link> Parse(string json) => JsonField.ReadArray(json, "ip link show", ParseLink);

    private static Link ParseLink(JsonField item)
    {
        var info = item.Get("linkinfo");
        var kind = info?.String("info_kind");
        var data = info?.Get("info_data");
        return new Link
        {
            Index = item.RequiredInt("ifindex"),
            Name = item.RequiredString("ifname"),
            Kind = kind,
            Mtu = item.Int("mtu") ?? 0,
            Flags = item.Strings("flags"),
            OperationalState = item.String("operstate") ?? "UNKNOWN",
            LinkType = item.String("link_type"),
            Address = item.String("address"),
            Master = item.String("master"),
            // "link" is the peer/lower device's name when it is in this namespace (null when it has none);
            // otherwise iproute2 gives "link_index" and "link_netnsid".
            LinkedName = item.String("link"),
            LinkedIndex = item.Int("link_index"),
            LinkedNamespaceId = item.Int("link_netnsid"),
            Vxlan = kind == "vxlan" && data is { } vxlan ? ParseVxlan(vxlan) : null,
            IpTunnel = kind is "ipip" or "sit" && data is { } tunnel ? ParseIpTunnel(tunnel) : null,
        };
    }

    private static VxlanLinkInfo ParseVxlan(JsonField data) => new()
    {
        Vni = data.RequiredInt("id"),
        Local = data.Address("local") ?? data.Address("local6"),
        Remote = data.Address("remote") ?? data.Address("remote6") ?? data.Address("group") ?? data.Address("group6"),
        Device = data.String("link"),
        Port = data.Int("port") ?? 0,
        // The kernel's default is to learn; iproute2 always prints the flag, so absence means an unusual build.
        Learning = data.OptionalBool("learning") ?? true,
        Ttl = data.Get("ttl") is { Element.ValueKind: JsonValueKind.Number } ttl ? ttl.AsInt() : 0,
    };

    private static IpTunnelLinkInfo ParseIpTunnel(JsonField data) => new()
    {
        Local = data.Address("local"),
        Remote = data.Address("remote"),
        Device = data.String("link"),
        // "ttl" is a number, or "inherit" in some iproute2 versions.
        Ttl = data.Get("ttl") is { Element.ValueKind: JsonValueKind.Number } ttl ? ttl.AsInt() : 0,
        PathMtuDiscovery = data.Bool("pmtudisc"),
    };
}
