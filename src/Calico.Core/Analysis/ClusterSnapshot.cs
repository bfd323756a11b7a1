using Calico.Datastore;
using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Analysis;

/// <summary>
/// The cluster as the route planner sees it — nodes, IP pools and IPAM blocks — read at one moment, plus every stored
/// item that could not be read. The analysis cmdlets and the host side plan from it. It is not changed after it is made:
/// <see cref="With(CalicoResource)"/> returns a changed copy, so a preview can plan a change that is never written.
/// Treat the resources and blocks it hands out as read-only.
/// </summary>
public sealed partial class ClusterSnapshot
{
    private readonly Dictionary<string, Node> _nodesByName;
    private readonly Dictionary<RouteSettings, RoutePlanner> _planners = new();
    private readonly object _planning = new();

    public ClusterSnapshot(IEnumerable<Node> nodes, IEnumerable<IPPool> pools, IEnumerable<AllocationBlock> blocks,
        IEnumerable<DatastoreCorruptException>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        ArgumentNullException.ThrowIfNull(pools);
        ArgumentNullException.ThrowIfNull(blocks);
        Nodes = nodes.OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
        Pools = pools.OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Blocks = blocks.ToList();
        Errors = errors?.ToList() ?? [];
        _nodesByName = new Dictionary<string, Node>(StringComparer.Ordinal);
        foreach (var node in Nodes) _nodesByName[node.Name] = node;
    }

    /// <summary>Every readable node, by name.</summary>
    public IReadOnlyList<Node> Nodes { get; }

    /// <summary>Every readable IP pool, by name (disabled ones included: felix still routes them).</summary>
    public IReadOnlyList<IPPool> Pools { get; }

    /// <summary>Every readable IPAM block.</summary>
    public IReadOnlyList<AllocationBlock> Blocks { get; }

    /// <summary>One entry per stored node, pool or block that could not be read; the snapshot is made without them.</summary>
    public IReadOnlyList<DatastoreCorruptException> Errors { get; }

    public Node? GetNode(string name) => _nodesByName.GetValueOrDefault(name);

    /// <summary>
    /// What <paramref name="nodeName"/>'s kernel should have, as felix on that node would decide it from this cluster.
    /// Without settings, felix's defaults as this project runs them (<see cref="RouteSettings.Default"/>): the host
    /// interface and MTU are then unknown, so direct routes name <see cref="PlannedRoute.HostInterface"/>.
    /// </summary>
    public RoutePlan Plan(string nodeName, RouteSettings? settings = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(nodeName);
        settings ??= RouteSettings.Default;
        // One planner per settings indexes the cluster once, however many nodes are planned from it.
        lock (_planning)
        {
            if (!_planners.TryGetValue(settings, out var planner))
                _planners[settings] = planner = new RoutePlanner(nodeName, Nodes, Pools, Blocks, settings);
            return planner.Plan(nodeName);
        }
    }

    /// <summary>This cluster with <paramref name="resource"/> (an IPPool or a Node) added, or put in place of the one of its name.</summary>
    public ClusterSnapshot With(CalicoResource resource) => resource switch
    {
        IPPool pool => new ClusterSnapshot(Nodes, Replace(Pools, pool), Blocks, Errors),
        Node node => new ClusterSnapshot(Replace(Nodes, node), Pools, Blocks, Errors),
        null => throw new ArgumentNullException(nameof(resource)),
        _ => throw new ArgumentException($"{resource.Kind} does not take part in routing: only IPPool and Node do", nameof(resource)),
    };

    /// <summary>This cluster with each of <paramref name="pools"/> added, or put in place of the pool of its name.</summary>
    public ClusterSnapshot WithPools(IEnumerable<IPPool> pools)
    {
        ArgumentNullException.ThrowIfNull(pools);
        var result = Pools;
        foreach (var pool in pools) result = Replace(result, pool);
        return new ClusterSnapshot(Nodes, result, Blocks, Errors);
    }

    private static List<T> Replace<T>(IReadOnlyList<T> items, T item) where T : CalicoResource
    {
        var result = items.Where(i => i.Name != item.Name).ToList();
        result.Add(item);
        return result;
    }

    public override string ToString() =>
        $"{Nodes.Count} nodes, {Pools.Count} IP pools, {Blocks.Count} IPAM blocks" + (Errors.Count == 0 ? "" : $", {Errors.Count} unreadable");
}
