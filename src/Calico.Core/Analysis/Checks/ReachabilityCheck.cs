using Calico.Routing;

namespace Calico.Analysis.Checks;

/// <summary>
/// Plans every node and reports the workloads some nodes cannot reach, one finding per destination node and pool,
/// naming the nodes that cannot reach them. Destinations whose cause another check already reports as an error (the
/// node's address, its tunnel address, the pool's modes) are left to that check.
/// </summary>
internal static class ReachabilityCheck
{
    /// <summary>The checks whose errors leave workloads unreachable, so their subjects need no second finding here.</summary>
    private static readonly HashSet<NetworkCheck> Explaining =
        [NetworkCheck.NodeAddress, NetworkCheck.TunnelAddress, NetworkCheck.Encapsulation, NetworkCheck.IPv6IPIP];

    public static IEnumerable<NetworkFinding> Run(CheckContext context, IReadOnlyCollection<NetworkFinding> explained)
    {
        var known = explained.Where(f => f.Severity == Severity.Error && Explaining.Contains(f.Check))
            .Select(f => f.Subject).ToHashSet(StringComparer.Ordinal);
        var unreachable = new SortedDictionary<(string Node, string Pool), List<(string From, PlannedRoute Route)>>();
        foreach (var source in context.Nodes)
        {
            if (known.Contains(source.Name)) continue;
            foreach (var route in context.Snapshot.Plan(source.Name, context.Settings).Routes)
            {
                if (route.Type != PlannedRouteType.Unreachable || route.RemoteNode is not { } remote) continue;
                if (known.Contains(remote) || (route.Pool is not null && known.Contains(route.Pool))) continue;
                var key = (remote, route.Pool ?? "");
                if (!unreachable.TryGetValue(key, out var list)) unreachable[key] = list = new();
                list.Add((source.Name, route));
            }
        }
        foreach (var ((remote, poolName), routes) in unreachable)
        {
            var sources = routes.Select(r => r.From).Distinct().ToList();
            var destinations = routes.Select(r => r.Route.Destination.ToString()).Distinct().ToList();
            // The widest destination (a block rather than one borrowed address) gives the plainest reason.
            var (from, first) = routes.MinBy(r => r.Route.Destination.PrefixLength);
            var inPool = poolName == "" ? "" : $" in pool {poolName}";
            yield return new NetworkFinding(Severity.Error, NetworkCheck.Reachability, remote,
                $"{remote}'s workloads{inPool} ({Names(destinations, 3)}) cannot be reached from {Names(sources, 10)}. As {from} plans it: {first.Reason}",
                Fix(context, remote, poolName, from, first));
        }
    }

    private static string Fix(CheckContext context, string remote, string poolName, string from, PlannedRoute route)
    {
        var pool = context.FindPool(poolName);
        if (pool is null)
            return $"The block lies in no IP pool: create a pool that holds {route.Destination}, or release the addresses IPAM still holds there (Get-CalicoIPAMAddress -Address {route.Destination} lists them).";
        if (context.Snapshot.GetNode(remote) is null)
            return $"{remote} is not in the datastore, but IPAM still holds addresses for it: register it again, or release them (Get-CalicoIPAMAddress -Node {remote} lists them).";
        if (pool.Facts.Type == PoolRouteType.NoEncap)
            return $"Pool {poolName} is not encapsulated and these nodes are on different subnets: Set-CalicoIPPool -Name {poolName} -IPIPMode CrossSubnet, or have the fabric route the pool (BGP).";
        return $"Get-CalicoRoute -Node {from} -Destination {route.Destination} shows the route and its reason.";
    }

    private static string Names(List<string> names, int most) =>
        string.Join(", ", names.Take(most)) + (names.Count > most ? $" and {names.Count - most} more" : "");
}
