using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Calico.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// A set of kernel changes applied together by <see cref="IKernel.Apply"/>: every link, address, route and
/// neighbour change in one `ip -batch -` process, every FDB change in one `bridge -batch -` process, then the
/// sysctls, in that order (devices exist before their FDB entries and sysctls). Within each tool the changes
/// run in the order they were added. Each method checks its arguments and renders one batch line.
/// </summary>
public sealed class KernelBatch
{
    private readonly List<string> _ip = [];
    private readonly List<string> _bridge = [];
    private readonly List<KeyValuePair<SysctlKey, string>> _sysctls = [];

    /// <summary>The `ip -batch` lines, in order.</summary>
    public IReadOnlyList<string> IpCommands => _ip;

    /// <summary>The `bridge -batch` lines, in order.</summary>
    public IReadOnlyList<string> BridgeCommands => _bridge;

    /// <summary>The sysctl writes, in order.</summary>
    public IReadOnlyList<KeyValuePair<SysctlKey, string>> Sysctls => _sysctls;

    public bool IsEmpty => _ip.Count == 0 && _bridge.Count == 0 && _sysctls.Count == 0;

    /// <summary>A veth pair; the peer is created straight into <paramref name="peerNamespace"/> when given.</summary>
    public KernelBatch AddVeth(string name, string peerName, NetworkNamespace? peerNamespace = null, int? mtu = null)
    {
        var line = $"link add name {KernelNames.Device(name)}{Mtu(mtu)} type veth peer name {KernelNames.Device(peerName, "peer name")}";
        if (peerNamespace is { IsCurrent: false }) line += $" netns {peerNamespace.Name}";
        return Ip(line);
    }

    /// <summary>A VXLAN device such as Calico's vxlan.calico.</summary>
    public KernelBatch AddVxlan(string name, VxlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Vni is < 0 or > 0xFFFFFF) throw new ArgumentException($"VNI: value \"{settings.Vni}\": must be 0-16777215", nameof(settings));
        if (settings.Port is < 1 or > 65535) throw new ArgumentException($"port: value \"{settings.Port}\": must be 1-65535", nameof(settings));
        var line = $"link add name {KernelNames.Device(name)}";
        if (settings.MacAddress is not null) line += $" address {KernelNames.Mac(settings.MacAddress)}";
        line += $"{Mtu(settings.Mtu)} type vxlan id {N(settings.Vni)}";
        if (settings.Local is not null) line += $" local {settings.Local}";
        if (settings.Device is not null) line += $" dev {KernelNames.Device(settings.Device)}";
        line += $" dstport {N(settings.Port)} {(settings.Learning ? "learning" : "nolearning")}";
        return Ip(line);
    }

    /// <summary>An ipip device. Calico's tunl0 is the kernel's own fallback device: configure it with <see cref="SetLink"/>.</summary>
    public KernelBatch AddIpip(string name, IPAddress? local = null, IPAddress? remote = null, string? device = null)
    {
        var line = $"link add name {KernelNames.Device(name)} type ipip";
        if (local is not null) line += $" local {V4(local, "local")}";
        if (remote is not null) line += $" remote {V4(remote, "remote")}";
        if (device is not null) line += $" dev {KernelNames.Device(device)}";
        return Ip(line);
    }

    public KernelBatch SetLink(string name, LinkSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var line = $"link set dev {KernelNames.Device(name)}{Mtu(settings.Mtu)}";
        if (settings.MacAddress is not null) line += $" address {KernelNames.Mac(settings.MacAddress)}";
        if (settings.Master is not null) line += settings.Master.Length == 0 ? " nomaster" : $" master {KernelNames.Device(settings.Master, "master")}";
        if (settings.Up is { } up) line += up ? " up" : " down";
        return Ip(line);
    }

    /// <summary>Moves a device into another (named) namespace, as a workload's end of a veth is moved.</summary>
    public KernelBatch MoveLink(string name, NetworkNamespace target) =>
        Ip($"link set dev {KernelNames.Device(name)} netns {KernelNames.Namespace(target)}");

    public KernelBatch DeleteLink(string name) => Ip($"link del dev {KernelNames.Device(name)}");

    public KernelBatch AddAddress(string device, IPPrefix address, int? scope = null) => Address("add", device, address, scope);

    public KernelBatch ReplaceAddress(string device, IPPrefix address, int? scope = null) => Address("replace", device, address, scope);

    public KernelBatch DeleteAddress(string device, IPPrefix address) => Address("del", device, address, null);

    public KernelBatch AddRoute(Route route) => Ip("route add " + RouteArguments(route, forDelete: false));

    public KernelBatch ReplaceRoute(Route route) => Ip("route replace " + RouteArguments(route, forDelete: false));

    /// <summary>Deletes the route matching the type, destination, table, protocol and, when set, gateway, device and metric.</summary>
    public KernelBatch DeleteRoute(Route route) => Ip("route del " + RouteArguments(route, forDelete: true));

    /// <summary>Sets a neighbour entry; Calico's VXLAN entries are permanent.</summary>
    public KernelBatch ReplaceNeighbour(string device, IPAddress address, string macAddress, NeighbourState state = NeighbourState.Permanent)
    {
        var nud = state switch
        {
            NeighbourState.Permanent => "permanent",
            NeighbourState.NoArp => "noarp",
            NeighbourState.Reachable => "reachable",
            NeighbourState.Stale => "stale",
            _ => throw new ArgumentException($"state: value \"{state}\": a neighbour can be set permanent, noarp, reachable or stale", nameof(state)),
        };
        return Ip($"neigh replace {address} lladdr {KernelNames.Mac(macAddress)} dev {KernelNames.Device(device)} nud {nud}");
    }

    public KernelBatch DeleteNeighbour(string device, IPAddress address) =>
        Ip($"neigh del {address} dev {KernelNames.Device(device)}");

    /// <summary>Adds a VXLAN FDB entry MAC → remote VTEP, on the device itself and permanent, as felix does.</summary>
    public KernelBatch AppendFdbEntry(string device, string macAddress, IPAddress destination) => Fdb("append", device, macAddress, destination);

    public KernelBatch ReplaceFdbEntry(string device, string macAddress, IPAddress destination) => Fdb("replace", device, macAddress, destination);

    /// <summary>Deletes the entry; with <paramref name="destination"/>, only the entry for that VTEP.</summary>
    public KernelBatch DeleteFdbEntry(string device, string macAddress, IPAddress? destination = null)
    {
        var line = $"fdb del {KernelNames.Mac(macAddress)} dev {KernelNames.Device(device)}";
        if (destination is not null) line += $" dst {destination}";
        _bridge.Add(line + " self");
        return this;
    }

    public KernelBatch SetSysctl(SysctlKey key, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Any(c => char.IsControl(c) && c != '\t'))
            throw new ArgumentException($"sysctl {key}: value \"{value}\": must be one line", nameof(value));
        _sysctls.Add(new(key, value));
        return this;
    }

    private KernelBatch Ip(string line)
    {
        _ip.Add(line);
        return this;
    }

    private KernelBatch Address(string verb, string device, IPPrefix address, int? scope)
    {
        var line = $"address {verb} {address} dev {KernelNames.Device(device)}";
        if (scope is not null) line += $" scope {Scope(scope.Value)}";
        return Ip(line);
    }

    private KernelBatch Fdb(string verb, string device, string macAddress, IPAddress destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _bridge.Add($"fdb {verb} {KernelNames.Mac(macAddress)} dev {KernelNames.Device(device)} dst {destination} self permanent");
        return this;
    }

    private static string RouteArguments(Route route, bool forDelete)
    {
        ArgumentNullException.ThrowIfNull(route);
        var where = $"route {route.Destination}";
        if (route.NextHops.Count > 0) throw new ArgumentException($"{where}: multipath routes cannot be written", nameof(route));
        if (!route.Destination.IsMasked) throw new ArgumentException($"{where}: the destination has host bits set", nameof(route));
        var hasNextHop = route.Gateway is not null || route.Device is not null;
        if (route.Type is RouteType.Blackhole or RouteType.Unreachable or RouteType.Prohibit && hasNextHop)
            throw new ArgumentException($"{where}: a {route.Type.ToString().ToLowerInvariant()} route has no gateway or device", nameof(route));
        if (route.Protocol is < 0 or > 255) throw new ArgumentException($"{where}: protocol {route.Protocol} is not 0-255", nameof(route));

        var words = new List<string>();
        // On delete the type is always given: without it the kernel deletes a route of any type.
        if (route.Type != RouteType.Unicast || forDelete) words.Add(TypeKeyword(route.Type, where));
        words.Add(route.Destination.ToString());
        if (route.Gateway is { } gateway)
        {
            words.Add("via");
            if (gateway.AddressFamily != route.Destination.Address.AddressFamily)
                words.Add(gateway.AddressFamily == AddressFamily.InterNetwork ? "inet" : "inet6");
            words.Add(gateway.ToString());
        }
        if (route.Device is not null) words.AddRange(["dev", KernelNames.Device(route.Device, $"{where}: device")]);
        if (route.OnLink && !forDelete) words.Add("onlink");
        words.AddRange(["proto", N(route.Protocol)]);
        if (route.Scope is { } scope && !forDelete) words.AddRange(["scope", Scope(scope)]);
        words.AddRange(["table", N(route.Table)]);
        if (route.Metric != 0) words.AddRange(["metric", N(route.Metric)]);
        if (route.PreferredSource is { } source && !forDelete) words.AddRange(["src", source.ToString()]);
        if (route.Mtu is { } mtu && !forDelete) words.AddRange(["mtu", N(mtu)]);
        return string.Join(' ', words);
    }

    private static string TypeKeyword(RouteType type, string where) => type switch
    {
        RouteType.Unicast => "unicast",
        RouteType.Local => "local",
        RouteType.Broadcast => "broadcast",
        RouteType.Anycast => "anycast",
        RouteType.Multicast => "multicast",
        RouteType.Blackhole => "blackhole",
        RouteType.Unreachable => "unreachable",
        RouteType.Prohibit => "prohibit",
        RouteType.Throw => "throw",
        _ => throw new ArgumentException($"{where}: routes of type {type} cannot be written", "route"),
    };

    private static string Mtu(int? mtu) => mtu switch
    {
        null => "",
        < 68 or > 65535 => throw new ArgumentException($"MTU: value \"{mtu}\": must be 68-65535", nameof(mtu)),
        _ => " mtu " + N(mtu.Value),
    };

    private static string Scope(int scope) =>
        scope is >= 0 and <= 255 ? N(scope) : throw new ArgumentException($"scope: value \"{scope}\": must be 0-255", nameof(scope));

    private static string V4(IPAddress address, string field) =>
        address.AddressFamily == AddressFamily.InterNetwork ? address.ToString() : throw new ArgumentException($"{field}: value \"{address}\": ipip needs an IPv4 address", field);

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
