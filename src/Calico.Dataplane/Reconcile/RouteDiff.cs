using System.Net;
using Calico.Dataplane.Kernel;
using Calico.Net;
using Calico.Routing;

namespace Calico.Dataplane.Reconcile;

/// <summary>
/// The main routing table against the plan, as felix's route table reconciles it (felix/routetable/route_table.go):
/// a route is keyed by destination and metric, compared on type, scope, source, protocol, onlink, gateway, device and
/// MTU (kernelRoute.Equals), replaced when it differs, and deleted when the plan does not have it — but only when
/// <see cref="RouteOwnership"/> says it is Calico's. Foreign and workload routes are never touched.
/// </summary>
internal static class RouteDiff
{
    /// <summary>The kernel's default metric for an IPv6 route given none (IP6_RT_PRIO_USER; route_table.go normalizeRouteKey).</summary>
    private const int IPv6DefaultMetric = 1024;

    private static readonly IPPrefix IPv6LinkLocal = IPPrefix.Parse("fe80::/64");

    private const string Duplicate = "a second route to a destination the plan routes once";

    private readonly record struct RouteKey(IPPrefix Destination, int Metric);

    /// <summary>A planned route, and the kernel routes found at its key.</summary>
    private sealed class Wanted(Route route, PlannedRoute planned)
    {
        public Route Route { get; } = route;
        public PlannedRoute Planned { get; } = planned;
        /// <summary>The first route found at the key when it was Calico's and exactly the planned one: the common case, kept without a list.</summary>
        public Route? Match { get; set; }
        /// <summary>Any other routes found at the key.</summary>
        public List<(Route Route, RouteOwner Owner)>? Others { get; set; }
    }

    public static void Diff(DiffContext c)
    {
        var desired = Desired(c);
        var settings = c.Plan.Settings;
        // Ownership depends on device, protocol and family only; a host has few of those combinations.
        var owners = new Dictionary<(string?, int, int), RouteOwner>();
        var deletes = new List<(IPPrefix Destination, DataplaneChange Change)>();
        foreach (var route in c.Kernel.MainRoutes)
        {
            var family = route.Destination.Family;
            // The kernel keeps IPv6 link-local routes on every device; felix leaves them (routeIsIPv6Bootstrap).
            if (family == 6 && route.Destination == IPv6LinkLocal) continue;
            if (!owners.TryGetValue((route.Device, route.Protocol, family), out var owner))
                owners[(route.Device, route.Protocol, family)] = owner = RouteOwnership.Classify(settings, family, route.Device, route.Protocol);
            if (desired.TryGetValue(new RouteKey(route.Destination, route.Metric), out var wanted))
            {
                if (wanted.Match is null && wanted.Others is null && owner == RouteOwner.Calico && !c.RouteVanishes(route.Device, family) && Same(route, wanted.Route))
                    wanted.Match = route;
                else
                    (wanted.Others ??= []).Add((route, owner));
            }
            // Routes the kernel derives from an address come and go with the address (see TunnelDeviceDiff).
            else if (owner == RouteOwner.Calico && route.Protocol != RouteProtocol.Kernel)
            {
                deletes.Add((route.Destination, Delete(c, route, reason: "the plan has no route to this destination")));
            }
        }

        var changes = new List<DataplaneChange>();
        var adds = new List<DataplaneChange>();
        foreach (var (key, wanted) in desired)
        {
            if (wanted.Others is null)
            {
                if (wanted.Match is null) adds.Add(Add(wanted, causedBy: null));
                continue;
            }
            var present = wanted.Match is null ? wanted.Others : [(wanted.Match, RouteOwner.Calico), .. wanted.Others];
            if (present.FirstOrDefault(p => p.Owner != RouteOwner.Calico) is { Route: not null } other)
            {
                var whose = other.Owner == RouteOwner.Workload ? "a workload's route" : "a route that is not Calico's";
                c.Warn($"route {key.Destination}: {whose} ({RouteText.Format(other.Route)}) is where the plan wants {RouteText.Format(wanted.Route)}; left alone");
                continue;
            }
            var live = present.Where(p => !c.RouteVanishes(p.Route.Device, p.Route.Destination.Family)).Select(p => p.Route).ToList();
            var same = live.FirstOrDefault(r => Same(r, wanted.Route));
            if (same is not null)
            {
                deletes.AddRange(live.Where(r => !ReferenceEquals(r, same)).Select(r => (r.Destination, Delete(c, r, Duplicate))));
                continue;
            }
            if (live.Count == 0)
            {
                var wasThere = present.Any(p => Same(p.Route, wanted.Route));
                adds.Add(Add(wanted, causedBy: wasThere ? c.RouteVanishReason(wanted.Route.Device!) : null));
                continue;
            }
            var old = live[0];
            changes.Add(new DataplaneChange(ChangeKind.Change, DataplaneObject.Route, key.Destination.ToString(), RouteText.Format(old), RouteText.Format(wanted.Route))
            {
                Reason = wanted.Planned.Reason,
                Batch = b => b.ReplaceRoute(wanted.Route),
            });
            deletes.AddRange(live.Skip(1).Select(r => (r.Destination, Delete(c, r, Duplicate))));
        }

        // Deletions first, so nothing stale stands in the way; then replacements and additions, by destination.
        c.Changes.AddRange(deletes.OrderBy(d => d.Destination).Select(d => d.Change));
        c.Changes.AddRange(changes);
        c.Changes.AddRange(adds);
    }

    /// <summary>The plan's routes as kernel routes, keyed as the kernel keys them; routes with no usable device are skipped with a warning.</summary>
    private static Dictionary<RouteKey, Wanted> Desired(DiffContext c)
    {
        var desired = new Dictionary<RouteKey, Wanted>(c.Plan.Routes.Count);
        foreach (var planned in c.Plan.Routes)
        {
            if (!planned.IsProgrammed) continue;
            string? device = null;
            if (planned.Device is not null)
            {
                device = c.Resolve(planned.Device);
                if (device is null)
                {
                    c.Warn($"route {planned.Destination}: not programmed: no interface holds the node's address, so the host interface is unknown");
                    continue;
                }
                if (!c.WillExist(device))
                {
                    var why = c.FateOf(device) == DeviceFate.Unavailable ? "cannot be configured" : "does not exist";
                    c.Warn($"route {planned.Destination}: not programmed: device {device} {why}");
                    continue;
                }
            }
            var route = ToKernel(planned, device);
            desired[new RouteKey(route.Destination, route.Metric)] = new Wanted(route, planned);
        }
        return desired;
    }

    internal static Route ToKernel(PlannedRoute planned, string? device) => new()
    {
        Destination = planned.Destination,
        Type = planned.Type == PlannedRouteType.Blackhole ? RouteType.Blackhole : RouteType.Unicast,
        Gateway = planned.Gateway,
        Device = device,
        OnLink = planned.OnLink,
        Protocol = planned.Protocol,
        Scope = (int)planned.Scope,
        Table = RouteTable.Main,
        Mtu = planned.Mtu,
        Metric = planned.Family == 6 ? IPv6DefaultMetric : 0,
    };

    /// <summary>felix's kernelRoute.Equals: the fields felix programs and reads back.</summary>
    internal static bool Same(Route actual, Route wanted) =>
        actual.Type == wanted.Type
        && actual.Scope == wanted.Scope
        && Equals(actual.PreferredSource, wanted.PreferredSource)
        && actual.Protocol == wanted.Protocol
        && actual.OnLink == wanted.OnLink
        && Equals(actual.Gateway, wanted.Gateway)
        && string.Equals(actual.Device, wanted.Device, StringComparison.Ordinal)
        && actual.Mtu == wanted.Mtu
        && actual.NextHops.Count == 0;

    private static bool Equals(IPAddress? a, IPAddress? b) => a is null ? b is null : a.Equals(b);

    private static DataplaneChange Add(Wanted wanted, string? causedBy) =>
        new(ChangeKind.Add, DataplaneObject.Route, wanted.Route.Destination.ToString(), null, RouteText.Format(wanted.Route))
        {
            Reason = wanted.Planned.Reason,
            CausedBy = causedBy,
            Batch = b => b.AddRoute(wanted.Route),
        };

    private static DataplaneChange Delete(DiffContext c, Route route, string reason)
    {
        var vanishes = c.RouteVanishes(route.Device, route.Destination.Family);
        return new(ChangeKind.Delete, DataplaneObject.Route, route.Destination.ToString(), RouteText.Format(route), null)
        {
            Reason = reason,
            CausedBy = vanishes ? c.RouteVanishReason(route.Device!) : null,
            // A route on a device that goes away goes with it; deleting it again would fail.
            // A multipath route is deleted by its key alone: `ip route del` without next hops matches it.
            Batch = vanishes ? null : b => b.DeleteRoute(route.NextHops.Count == 0 ? route : route with { NextHops = [], Gateway = null, Device = null }),
        };
    }
}
