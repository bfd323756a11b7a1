using Calico.Net;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>How one node's route to one destination would change.</summary>
public enum RouteChangeKind
{
    /// <summary>The destination gets a route (or an unreachable entry) it did not have.</summary>
    Appears,
    /// <summary>The destination's route goes away.</summary>
    Disappears,
    /// <summary>The destination keeps an entry, but its type, gateway, device or MTU changes.</summary>
    Changes,
}

/// <summary>
/// One node's route to one destination, before and after a change to the cluster. <see cref="Before"/> or
/// <see cref="After"/> is null when there is no entry for the destination on that side.
/// </summary>
public sealed record RouteChange(string Node, IPPrefix Destination, PlannedRoute? Before, PlannedRoute? After)
{
    public RouteChangeKind Kind => Before is null ? RouteChangeKind.Appears : After is null ? RouteChangeKind.Disappears : RouteChangeKind.Changes;

    /// <summary>Why the destination ends up as it does: the planner's reason for the new entry, or for the old one that goes.</summary>
    public string Why => After?.Reason ?? $"no longer planned (was: {Before!.Reason})";

    /// <summary>Whether two entries for one destination would put different routes in the kernel.</summary>
    internal static bool Differ(PlannedRoute before, PlannedRoute after) =>
        before.Type != after.Type || !Equals(before.Gateway, after.Gateway) || before.Device != after.Device
        || before.Mtu != after.Mtu || before.OnLink != after.OnLink || before.Protocol != after.Protocol || before.Scope != after.Scope;

    /// <summary>e.g. "node1: 192.168.3.0/26 via 10.0.3.20 dev tunl0 (IPIP) → unreachable (Never: ...)".</summary>
    public override string ToString() => $"{Node}: {Destination} {Describe(Before)} → {Describe(After)} ({Why})";

    /// <summary>A route in a few words: its gateway, its device when known, and what kind of route it is.</summary>
    public static string Describe(PlannedRoute? route)
    {
        if (route is null) return "no route";
        var via = route.Gateway is null ? "" : $"via {route.Gateway} ";
        var dev = route.Device is null or PlannedRoute.HostInterface ? "" : $"dev {route.Device} ";
        return route.Type switch
        {
            PlannedRouteType.Unreachable => "unreachable",
            PlannedRouteType.Blackhole => "blackhole",
            PlannedRouteType.Direct => $"{via}{dev}(direct)",
            PlannedRouteType.VXLANTunnelAddress => $"{dev}(VXLAN)",
            _ => $"{via}{dev}({route.Type})",
        };
    }
}
