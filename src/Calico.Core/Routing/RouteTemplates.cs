namespace Calico.Routing;

/// <summary>
/// Decides routes for one planning pass, deciding each node's block routes once: every block of a node in the same
/// pool gets the same route but for its destination, so a 10,000-node cluster builds 10,000 reasons, not 40,000.
/// </summary>
/// <param name="expectedNodes">How many nodes the pass will meet: all of them for a whole plan, a few for an update.</param>
internal sealed class RouteTemplates(LocalNode local, ClusterIndex cluster, int expectedNodes = 0)
{
    public LocalNode Local => local;

    private readonly Dictionary<(string Node, PoolVerdict Pool, bool V6), PlannedRoute?> _blockRoutes = new(expectedNodes, ByNodeReference.Instance);

    public PlannedRoute? Decide(in RouteResolution d, out PlanFinding? finding)
    {
        // Only a whole block is decided by its node and pool alone: a single address may be a tunnel or host address.
        var block = d.Block;
        if (d.Key.IsHost || d.Node is null || block is null || !block.Key.Equals(d.Key))
            return RouteDecider.Decide(d, local, cluster, out finding);
        finding = null;
        var key = (d.Node, d.Pool, d.Key.IsV6);
        if (_blockRoutes.TryGetValue(key, out var template)) return template is null ? null : template with { Destination = block.Cidr };
        var route = RouteDecider.Decide(d, local, cluster, out finding);
        if (finding is null) _blockRoutes[key] = route;
        return route;
    }
}

/// <summary>Keys by the interned node name's identity, which spares hashing its characters.</summary>
internal sealed class ByNodeReference : IEqualityComparer<(string Node, PoolVerdict Pool, bool V6)>
{
    public static readonly ByNodeReference Instance = new();

    public bool Equals((string Node, PoolVerdict Pool, bool V6) x, (string Node, PoolVerdict Pool, bool V6) y) =>
        ReferenceEquals(x.Node, y.Node) && x.Pool == y.Pool && x.V6 == y.V6;

    public int GetHashCode((string Node, PoolVerdict Pool, bool V6) key) =>
        HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Node), key.Pool, key.V6);
}
