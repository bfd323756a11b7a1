using System.Net;
using Calico.Net;

namespace Calico.Dataplane.Kernel;

/// <summary>
/// A route, as read from the kernel or to be written to it. Numbers are the kernel's own (protocol 80 is
/// Calico's, table 254 is main), so routes compare exactly whatever names /etc/iproute2 gives them.
/// </summary>
public sealed record Route
{
    /// <summary>The destination with host bits cleared; 0.0.0.0/0 or ::/0 for the default route.</summary>
    public required IPPrefix Destination { get; init; }

    public RouteType Type { get; init; } = RouteType.Unicast;

    /// <summary>The next hop (`via`); null for a device route, a blackhole, or a multipath route.</summary>
    public IPAddress? Gateway { get; init; }

    /// <summary>The output device (`dev`); null for blackhole/unreachable routes and multipath routes.</summary>
    public string? Device { get; init; }

    /// <summary>RTNH_F_ONLINK: the gateway is taken to be on the device's link whatever its addresses say.</summary>
    public bool OnLink { get; init; }

    /// <summary>Who installed the route (RTPROT_*); <see cref="RouteProtocol.Boot"/> is what `ip route add` uses by default.</summary>
    public int Protocol { get; init; } = RouteProtocol.Boot;

    /// <summary>The scope number (<see cref="RouteScope"/>). Always set on a route read from the kernel; when writing,
    /// null lets `ip` choose as it does (link for a unicast route without a gateway, universe otherwise).</summary>
    public int? Scope { get; init; }

    /// <summary>The routing table; <see cref="RouteTable.Main"/> unless said otherwise.</summary>
    public int Table { get; init; } = RouteTable.Main;

    /// <summary>The MTU metric (`mtu N`), when set.</summary>
    public int? Mtu { get; init; }

    /// <summary>The route priority (`metric N`); 0 when none was given (IPv6 routes always show one).</summary>
    public int Metric { get; init; }

    /// <summary>The preferred source address (`src`), when set.</summary>
    public IPAddress? PreferredSource { get; init; }

    /// <summary>The next hops of a multipath route; empty otherwise. Read-only: writing multipath routes is not supported.</summary>
    public IReadOnlyList<RouteNextHop> NextHops { get; init; } = [];

    /// <summary>The route's flags as iproute2 names them ("onlink", "linkdown", "dead", ...).</summary>
    public IReadOnlyList<string> Flags { get; init; } = [];
}

/// <summary>One path of a multipath route.</summary>
public sealed record RouteNextHop(IPAddress? Gateway, string? Device, int Weight, bool OnLink);

/// <summary>The kernel's route types (RTN_*), with the numbers the kernel uses.</summary>
public enum RouteType
{
    Unspecified = 0,
    Unicast = 1,
    Local = 2,
    Broadcast = 3,
    Anycast = 4,
    Multicast = 5,
    Blackhole = 6,
    Unreachable = 7,
    Prohibit = 8,
    Throw = 9,
    Nat = 10,
    ExternalResolve = 11,
}
