using System.Net;
using System.Text;
using Calico.Net;

namespace Calico.Routing;

/// <summary>What kind of route the plan wants for a destination.</summary>
public enum PlannedRouteType
{
    /// <summary>IP-in-IP: via the remote node's address on tunl0.</summary>
    IPIP,
    /// <summary>VXLAN: via the remote node's VTEP address on the VXLAN device.</summary>
    VXLAN,
    /// <summary>A remote VXLAN tunnel address straight on the VXLAN device, scope link (vxlan_mgr.go:267-276).</summary>
    VXLANTunnelAddress,
    /// <summary>Unencapsulated, via the remote node's address on the host interface.</summary>
    Direct,
    /// <summary>A local block: addresses not given to a workload are dropped.</summary>
    Blackhole,
    /// <summary>No route can be programmed; <see cref="PlannedRoute.Reason"/> says why.</summary>
    Unreachable,
}

/// <summary>The kernel route scope.</summary>
public enum RouteScope
{
    Universe = 0,
    Link = 253,
}

/// <summary>
/// One destination of this node's plan: a kernel route to program, or (Type Unreachable) a destination the plan cannot
/// route, with the reason. Simple properties so cmdlets can show and filter it.
/// </summary>
public sealed record PlannedRoute
{
    /// <summary>Stands for the host interface when the planner is not told its name; the dataplane resolves it.</summary>
    public const string HostInterface = "<host-interface>";

    public required IPPrefix Destination { get; init; }
    public IPAddress? Gateway { get; init; }
    /// <summary>The output device; null for blackhole and unreachable entries.</summary>
    public string? Device { get; init; }
    public required PlannedRouteType Type { get; init; }
    public bool Encapsulated => Type is PlannedRouteType.IPIP or PlannedRouteType.VXLAN or PlannedRouteType.VXLANTunnelAddress;
    public bool OnLink { get; init; }
    /// <summary>The route protocol; 0 for unreachable entries, which are not programmed.</summary>
    public int Protocol { get; init; }
    public int? Mtu { get; init; }
    public RouteScope Scope { get; init; }
    /// <summary>The node the destination belongs to; null for blackholes and destinations of no node.</summary>
    public string? RemoteNode { get; init; }
    /// <summary>The IP pool that decides the route; null when the destination lies in none.</summary>
    public string? Pool { get; init; }
    public required string Reason { get; init; }

    /// <summary>True when this entry is a kernel route (everything but Unreachable).</summary>
    public bool IsProgrammed => Type != PlannedRouteType.Unreachable;

    public int Family => Destination.Family;

    /// <summary>In iproute2's words, e.g. "192.168.1.0/26 via 10.0.3.20 dev tunl0 onlink proto 80 mtu 1440".</summary>
    public override string ToString()
    {
        switch (Type)
        {
            case PlannedRouteType.Unreachable:
                return $"{Destination} unreachable: {Reason}";
            case PlannedRouteType.Blackhole:
                return $"blackhole {Destination} proto {Protocol}";
        }
        var text = new StringBuilder(Destination.ToString());
        if (Gateway is not null) text.Append(" via ").Append(Gateway);
        text.Append(" dev ").Append(Device);
        if (OnLink) text.Append(" onlink");
        text.Append(" proto ").Append(Protocol);
        if (Scope == RouteScope.Link) text.Append(" scope link");
        if (Mtu is { } mtu) text.Append(" mtu ").Append(mtu);
        return text.ToString();
    }
}
