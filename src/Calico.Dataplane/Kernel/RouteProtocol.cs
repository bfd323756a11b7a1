namespace Calico.Dataplane.Kernel;

/// <summary>
/// Route protocol numbers (RTPROT_*) and their iproute2 names. The kernel layer asks iproute2 for numbers
/// (`ip -N`), but output captured elsewhere may carry names, so both are read.
/// </summary>
public static class RouteProtocol
{
    public const int Unspecified = 0;
    public const int Redirect = 1;
    public const int Kernel = 2;
    /// <summary>What `ip route add` uses when no protocol is given, and felix's DeviceRouteProtocol default.</summary>
    public const int Boot = 3;
    public const int Static = 4;
    public const int Bird = 12;
    /// <summary>Calico's own protocol number for the routes felix programs.</summary>
    public const int Calico = 80;

    // iproute2's built-in table (lib/rt_names.c); /etc/iproute2/rt_protos repeats it on most systems.
    private static readonly Dictionary<string, int> BuiltIn = new(StringComparer.Ordinal)
    {
        ["unspec"] = 0, ["redirect"] = 1, ["kernel"] = 2, ["boot"] = 3, ["static"] = 4, ["gated"] = 8,
        ["ra"] = 9, ["mrt"] = 10, ["zebra"] = 11, ["bird"] = 12, ["dnrouted"] = 13, ["xorp"] = 14,
        ["ntk"] = 15, ["dhcp"] = 16, ["keepalived"] = 18, ["babel"] = 42, ["openr"] = 99, ["bgp"] = 186,
        ["isis"] = 187, ["ospf"] = 188, ["rip"] = 189, ["eigrp"] = 192,
    };

    private static readonly Lazy<IReadOnlyDictionary<string, int>> Configured = new(() =>
        IpRoute2NameTable.Load("rt_protos", BuiltIn, 255));

    /// <summary>Reads a protocol as iproute2 prints it: a number ("80"), or a name from its table or /etc/iproute2/rt_protos.</summary>
    public static bool TryParse(string? text, out int protocol) =>
        IpRoute2NameTable.TryParse(text, Configured.Value, 255, out protocol);

    /// <summary>The iproute2 name of a protocol number, or the number itself.</summary>
    public static string ToName(int protocol) =>
        Configured.Value.FirstOrDefault(kv => kv.Value == protocol).Key ?? protocol.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
