using Calico.Net;

namespace Calico.Routing;

/// <summary>A destination some block routes, or a node's tunnel address that felix may route on its own.</summary>
internal sealed class Destination
{
    public Destination(NetKey key) => Key = key;

    public NetKey Key { get; }
    /// <summary>The blocks routing this destination to a node; more than one only with overlapping blocks.</summary>
    public List<(BlockFacts Block, BlockRoute Route)> Contributions { get; } = new(1);
    /// <summary>How many tunnel addresses of nodes with route info sit here.</summary>
    public int TunnelAddressCount { get; set; }

    public bool IsEmpty => Contributions.Count == 0 && TunnelAddressCount == 0;

    /// <summary>
    /// felix keeps one block entry per CIDR on its trie; with overlapping blocks the most specific block is taken here,
    /// so the answer does not depend on the order the blocks arrived in.
    /// </summary>
    public (BlockFacts Block, BlockRoute Route)? Contribution =>
        Contributions.Count == 0 ? null
        : Contributions.Count == 1 ? Contributions[0]
        : Contributions.OrderByDescending(c => c.Block.Key.Length).ThenBy(c => c.Block.Key).First();

    public IPPrefix Prefix => Contribution is { } c && c.Block.Key.Equals(Key) ? c.Block.Cidr : Key.ToPrefix();
}

/// <summary>
/// The cluster as the planner indexes it: nodes, pools, blocks, and felix's trie entries that matter for routes —
/// block destinations, tunnel-address entries and host-address entries (l3_route_resolver.go:1202-1221). Every change
/// records the destinations it may have changed, so the planner re-plans only those.
/// </summary>
internal sealed class ClusterIndex
{
    public Dictionary<string, NodeFacts> Nodes { get; } = new(StringComparer.Ordinal);
    public PoolIndex Pools { get; } = new();
    public PrefixMap<BlockFacts> Blocks { get; } = new();
    public Dictionary<NetKey, Destination> Destinations { get; } = new();
    /// <summary>Pools whose CIDR does not parse, by name, with why.</summary>
    public Dictionary<string, string> PoolProblems { get; } = new(StringComparer.Ordinal);

    private readonly Dictionary<NetKey, List<string>> _tunnelRefs = new();
    private readonly Dictionary<NetKey, List<string>> _hostRefs = new();

    /// <summary>The node felix names first for a tunnel-address entry (refs sorted by node name, 1104-1109), or null.</summary>
    public string? TunnelAddressOwner(NetKey key) => _tunnelRefs.TryGetValue(key, out var nodes) ? Min(nodes) : null;

    /// <summary>The node felix names first for a host-address entry (sorted, 1058-1070), or null.</summary>
    public string? HostAddressOwner(NetKey key) => _hostRefs.TryGetValue(key, out var nodes) ? Min(nodes) : null;

    public NodeFacts? SetNode(NodeFacts? facts, string name, ISet<NetKey> touched)
    {
        Nodes.Remove(name, out var old);
        if (old is not null)
        {
            foreach (var key in old.TunnelKeys)
            {
                RemoveRef(_tunnelRefs, key, name);
                ChangeTunnelCount(key, -1);
                touched.Add(key);
            }
            foreach (var key in old.HostKeys)
            {
                RemoveRef(_hostRefs, key, name);
                touched.Add(key);
            }
        }
        if (facts is not null)
        {
            Nodes[name] = facts;
            foreach (var key in facts.TunnelKeys)
            {
                AddRef(_tunnelRefs, key, name);
                ChangeTunnelCount(key, +1);
                touched.Add(key);
            }
            foreach (var key in facts.HostKeys)
            {
                AddRef(_hostRefs, key, name);
                touched.Add(key);
            }
        }
        return old;
    }

    public BlockFacts? SetBlock(BlockFacts? block, NetKey key, ISet<NetKey> touched)
    {
        if (Blocks.TryGet(key, out var old))
        {
            Blocks.Remove(key);
            foreach (var route in old.Routes)
            {
                var destination = Destinations[route.Destination];
                destination.Contributions.RemoveAll(c => ReferenceEquals(c.Block, old));
                if (destination.IsEmpty) Destinations.Remove(route.Destination);
                touched.Add(route.Destination);
            }
        }
        if (block is not null)
        {
            Blocks.Set(key, block);
            foreach (var route in block.Routes)
            {
                GetOrAdd(route.Destination).Contributions.Add((block, route));
                touched.Add(route.Destination);
            }
        }
        // A tunnel address in this block may become (or stop being) borrowed.
        foreach (var tunnelKey in _tunnelRefs.Keys)
        {
            if (key.Contains(tunnelKey)) touched.Add(tunnelKey);
        }
        return old;
    }

    private void ChangeTunnelCount(NetKey key, int delta)
    {
        var destination = GetOrAdd(key);
        destination.TunnelAddressCount += delta;
        if (destination.IsEmpty) Destinations.Remove(key);
    }

    private Destination GetOrAdd(NetKey key)
    {
        if (!Destinations.TryGetValue(key, out var destination)) Destinations[key] = destination = new Destination(key);
        return destination;
    }

    private static void AddRef(Dictionary<NetKey, List<string>> refs, NetKey key, string node)
    {
        if (!refs.TryGetValue(key, out var nodes)) refs[key] = nodes = new List<string>(1);
        nodes.Add(node);
    }

    private static void RemoveRef(Dictionary<NetKey, List<string>> refs, NetKey key, string node)
    {
        if (!refs.TryGetValue(key, out var nodes)) return;
        nodes.Remove(node);
        if (nodes.Count == 0) refs.Remove(key);
    }

    private static string Min(List<string> nodes)
    {
        var min = nodes[0];
        for (var i = 1; i < nodes.Count; i++)
        {
            if (string.CompareOrdinal(nodes[i], min) < 0) min = nodes[i];
        }
        return min;
    }
}
