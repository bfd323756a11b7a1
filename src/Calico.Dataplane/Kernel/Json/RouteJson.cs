using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Calico.Net;

namespace Calico.Dataplane.Kernel.Json;

/// <summary>
/// Reads `ip -N -details -json route show table all` for one family. The family must be known because
/// iproute2 prints a default route's destination as plain "default".
/// </summary>
internal static class RouteJson
{
    private static readonly Dictionary<string, RouteType> TypeNames = new(StringComparer.Ordinal)
    {
        ["unspec"] = RouteType.Unspecified, ["unicast"] = RouteType.Unicast, ["local"] = RouteType.Local,
        ["broadcast"] = RouteType.Broadcast, ["anycast"] = RouteType.Anycast, ["multicast"] = RouteType.Multicast,
        ["blackhole"] = RouteType.Blackhole, ["unreachable"] = RouteType.Unreachable, ["prohibit"] = RouteType.Prohibit,
        ["throw"] = RouteType.Throw, ["nat"] = RouteType.Nat, ["xresolve"] = RouteType.ExternalResolve,
    };

    public static IReadOnlyList<Route> Parse(string json, AddressFamily family) =>
        JsonField.ReadArray(json, "ip route show", item => ParseRoute(item, family));

    public static RouteLookup ParseLookup(string json, AddressFamily family) =>
        JsonField.ReadArray(json, "ip route get", item => new RouteLookup
        {
            Destination = ParseDestination(item, family).Address,
            Type = ParseType(item),
            Gateway = ParseGateway(item),
            Device = item.String("dev"),
            PreferredSource = item.Address("prefsrc"),
        }).FirstOrDefault() ?? throw new FormatException("ip route get: printed no route");

    private static Route ParseRoute(JsonField item, AddressFamily family)
    {
        var flags = item.Strings("flags");
        var type = ParseType(item);
        var device = item.String("dev");
        // IPv6 keeps blackhole, unreachable and prohibit routes on lo; that device is the kernel's, not the route's.
        if (type is RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit && device == "lo") device = null;
        return new Route
        {
            Destination = ParseDestination(item, family),
            Type = type,
            Gateway = ParseGateway(item),
            Device = device,
            OnLink = flags.Contains("onlink"),
            Protocol = ParseNumber(item, "protocol", RouteProtocol.TryParse, RouteProtocol.Unspecified),
            Scope = ParseNumber(item, "scope", RouteScope.TryParse, RouteScope.Universe),
            // Without -details and -N iproute2 leaves out "table" for main; with them it is always there.
            Table = ParseNumber(item, "table", RouteTable.TryParse, RouteTable.Main),
            Mtu = ParseMtu(item),
            Metric = item.Int("metric") ?? 0,
            PreferredSource = item.Address("prefsrc"),
            NextHops = item.Get("nexthops")?.Items().Select(ParseNextHop).ToArray() ?? [],
            Flags = flags,
        };
    }

    private static IPPrefix ParseDestination(JsonField item, AddressFamily family)
    {
        var field = item.Get("dst") ?? throw item.Error("route without \"dst\"");
        var text = field.AsString();
        var bits = family == AddressFamily.InterNetwork ? 32 : 128;
        if (text == "default") return new IPPrefix(family == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        // A host route is printed without its length: "10.9.0.2" is 10.9.0.2/32.
        if (!IPPrefix.TryParseAddressOrPrefix(text, out var prefix, out _) || prefix.Address.AddressFamily != family)
            throw field.Error($"not an {(bits == 32 ? "IPv4" : "IPv6")} destination");
        return prefix;
    }

    private static RouteType ParseType(JsonField item)
    {
        var field = item.Get("type");
        if (field is null) return RouteType.Unicast;
        var text = field.Value.AsString();
        if (TypeNames.TryGetValue(text, out var type)) return type;
        if (int.TryParse(text, out var number) && Enum.IsDefined(typeof(RouteType), number)) return (RouteType)number;
        throw field.Value.Error("not a route type");
    }

    /// <summary>"gateway", or "via": {"family", "host"} when the gateway's family differs from the route's.</summary>
    private static IPAddress? ParseGateway(JsonField item) => item.Address("gateway") ?? item.Get("via")?.Address("host");

    private delegate bool NumberParser(string? text, out int value);

    private static int ParseNumber(JsonField item, string name, NumberParser parse, int absent)
    {
        var field = item.Get(name);
        if (field is null) return absent;
        return parse(field.Value.AsString(), out var value) ? value : throw field.Value.Error($"not a route {name}");
    }

    /// <summary>"metrics": [{"mtu": 1480, ...}]; a locked metric may be printed as ["lock", 1480].</summary>
    private static int? ParseMtu(JsonField item)
    {
        foreach (var metrics in item.Get("metrics")?.Items() ?? [])
        {
            if (metrics.Get("mtu") is not { } mtu) continue;
            if (mtu.Element.ValueKind != JsonValueKind.Array) return mtu.AsInt();
            var number = mtu.Items().FirstOrDefault(i => i.Element.ValueKind == JsonValueKind.Number);
            return number.Element.ValueKind == JsonValueKind.Number ? number.AsInt() : throw mtu.Error("expected an MTU");
        }
        return null;
    }

    private static RouteNextHop ParseNextHop(JsonField hop) => new(
        ParseGateway(hop),
        hop.String("dev"),
        hop.Int("weight") ?? 1,
        hop.Strings("flags").Contains("onlink"));
}
