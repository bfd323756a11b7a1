using Calico.Ipam;
using Calico.Resources;
using Calico.Routing;

namespace Calico.Analysis.Checks;

/// <summary>A node with what felix derives from it.</summary>
internal sealed record CheckedNode(Node Node, NodeFacts Facts)
{
    public string Name => Node.Name;
}

/// <summary>A pool whose CIDR parses, with what felix and IPAM derive from it.</summary>
internal sealed record CheckedPool(IPPool Pool, PoolFacts Facts, IpamPool Ipam)
{
    public string Name => Pool.Name;
}

/// <summary>
/// The snapshot read the way felix and IPAM read it, once, for every check: node facts, pool facts, the pools felix
/// actually uses (one per CIDR), which encapsulations are on, and which nodes each pool selects.
/// </summary>
internal sealed class CheckContext
{
    private readonly Dictionary<string, IReadOnlyList<CheckedNode>?> _selected = new(StringComparer.Ordinal);

    public CheckContext(ClusterSnapshot snapshot, RouteSettings settings)
    {
        Snapshot = snapshot;
        Settings = settings;
        var names = new NodeNames();
        Nodes = snapshot.Nodes.Select(n => new CheckedNode(n, NodeFacts.From(n, names))).ToList();
        var ipamPools = IpamPool.From(snapshot.Pools).ToDictionary(p => p.Name, StringComparer.Ordinal);
        var pools = new List<CheckedPool>();
        foreach (var pool in snapshot.Pools)
        {
            if (PoolFacts.From(pool, out _) is not { } facts || !ipamPools.TryGetValue(pool.Name, out var ipam)) continue;
            pools.Add(new CheckedPool(pool, facts, ipam));
            PoolIndex.Set(facts);
        }
        Pools = pools;
        Encapsulation = Encapsulation.From(PoolIndex.Effective, settings);
    }

    public ClusterSnapshot Snapshot { get; }
    public RouteSettings Settings { get; }

    /// <summary>Every node, by name.</summary>
    public IReadOnlyList<CheckedNode> Nodes { get; }

    /// <summary>Every pool whose CIDR parses, by name.</summary>
    public IReadOnlyList<CheckedPool> Pools { get; }

    public PoolIndex PoolIndex { get; } = new();

    /// <summary>Which of felix's encapsulations are on, cluster-wide (every pool counts, disabled ones too).</summary>
    public Encapsulation Encapsulation { get; }

    /// <summary>The pools felix uses: one per CIDR.</summary>
    public IEnumerable<CheckedPool> EffectivePools
    {
        get
        {
            var effective = PoolIndex.Effective.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            return Pools.Where(p => effective.Contains(p.Name));
        }
    }

    /// <summary>Whether any pool felix uses for this family is CrossSubnet (then every node's own prefix matters).</summary>
    public bool AnyCrossSubnet(int family) => PoolIndex.Effective.Any(p => p.Family == family && p.CrossSubnet);

    public CheckedPool? FindPool(string? name) => name is null ? null : Pools.FirstOrDefault(p => p.Name == name);

    /// <summary>The nodes a pool's nodeSelector selects; null when the selector does not parse.</summary>
    public IReadOnlyList<CheckedNode>? SelectedNodes(CheckedPool pool)
    {
        if (_selected.TryGetValue(pool.Name, out var known)) return known;
        IReadOnlyList<CheckedNode>? selected;
        try
        {
            selected = Nodes.Where(n => pool.Ipam.SelectsNode(n.Node.Metadata.Labels)).ToList();
        }
        catch (IpamException)
        {
            selected = null;
        }
        return _selected[pool.Name] = selected;
    }
}
