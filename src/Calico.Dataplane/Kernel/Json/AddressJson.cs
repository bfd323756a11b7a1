using System.Net.Sockets;
using Calico.Net;

namespace Calico.Dataplane.Kernel.Json;

/// <summary>
/// Reads `ip -json address show`: links in the kernel's order, each with its addresses in the kernel's order
/// (IPv4 before IPv6), the same order calico-node's Go code sees them in.
/// </summary>
internal static class AddressJson
{
    // IFA_F_* names as iproute2 prints them; "temporary" is how it prints IFA_F_SECONDARY on IPv6.
    private static readonly (string Name, AddressFlags Flag)[] FlagNames =
    [
        ("secondary", AddressFlags.Secondary), ("temporary", AddressFlags.Secondary), ("nodad", AddressFlags.NoDad),
        ("optimistic", AddressFlags.Optimistic), ("dadfailed", AddressFlags.DadFailed), ("home", AddressFlags.HomeAddress),
        ("deprecated", AddressFlags.Deprecated), ("tentative", AddressFlags.Tentative),
        ("mngtmpaddr", AddressFlags.ManageTemporaryAddress), ("noprefixroute", AddressFlags.NoPrefixRoute),
        ("autojoin", AddressFlags.MulticastAutoJoin), ("stable-privacy", AddressFlags.StablePrivacy),
    ];

    public static IReadOnlyList<InterfaceAddress> Parse(string json) => JsonField.ReadArrayFlattened(json, "ip address show", ParseLink);

    private static IEnumerable<InterfaceAddress> ParseLink(JsonField link)
    {
        var index = link.RequiredInt("ifindex");
        var name = link.RequiredString("ifname");
        foreach (var info in link.Get("addr_info")?.Items() ?? [])
        {
            var family = info.String("family");
            if (family is not ("inet" or "inet6")) continue;
            var local = info.Address("local") ?? throw info.Error("address without \"local\"");
            if (local.AddressFamily != (family == "inet" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
                throw info.Get("local")!.Value.Error($"not an {family} address");
            var prefixLength = info.RequiredInt("prefixlen");
            if (prefixLength < 0 || prefixLength > (family == "inet" ? 32 : 128))
                throw info.Get("prefixlen")!.Value.Error("prefix length out of range");
            var peer = info.Address("address");
            yield return new InterfaceAddress
            {
                LinkIndex = index,
                LinkName = name,
                Prefix = new IPPrefix(local, prefixLength),
                Peer = peer is not null && !peer.Equals(local) ? peer : null,
                Scope = ParseScope(info),
                Flags = ParseFlags(info),
                Label = info.String("label"),
            };
        }
    }

    private static int ParseScope(JsonField info)
    {
        var field = info.Get("scope");
        if (field is null) return RouteScope.Universe;
        return RouteScope.TryParse(field.Value.AsString(), out var scope) ? scope : throw field.Value.Error("not a scope");
    }

    private static AddressFlags ParseFlags(JsonField info)
    {
        var flags = AddressFlags.None;
        foreach (var (name, flag) in FlagNames)
        {
            if (info.Bool(name)) flags |= flag;
        }
        // iproute2 prints "dynamic" for an address without IFA_F_PERMANENT, and nothing for a permanent one.
        if (!info.Bool("dynamic")) flags |= AddressFlags.Permanent;
        return flags;
    }
}
