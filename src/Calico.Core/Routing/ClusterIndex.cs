using Calico.Net;

namespace Calico.Routing;

/// <summary>A destination some block routes, or a node's tunnel address that felix may route on its own.</summary>
internal sealed class Destination
{
    // The usual single contribution is kept inline: planning reads it for every destination.
    private BlockFacts? _block;
    private string? _node;
    private List<(BlockFacts Block, string Node)>? _more;

    public Destination(NetKey key) => Key = key;

    public NetKey Key { get; }
    /// <summary>How many tunnel addresses of nodes with route info sit here.</summary>
    public int TunnelAddressCount { get; set; }

    public bool IsEmpty => _block is null && TunnelAddressCount == 0;

    /// <summary>
    /// The block routing this destination and the node it routes it to, if any. felix keeps one block entry per CIDR
    /// on its trie; only overlapping blocks give more than one, and then the most specific block is taken here, so
    /// the answer does not depend on the order the blocks arrived in.
    /// </summary>
    public (BlockFacts Block, string Node)? Contribution
    {
        get
        {
            if (_block is null) return null;
            if (_more is null) return (_block, _node!);
            return _more.Append((Block: _block, Node: _node!)).OrderByDescending(c => c.Block.Key.Length).ThenBy(c => c.Block.Key).First();
        }
    }

    public void AddContribution(BlockFacts block, string node)
    {
        if (_block is null)
        {
            _block = block;
            _node = node;
        }
        else
        {
            (_more ??= new List<(BlockFacts, string)>(1)).Add((block, node));
        }
    }

    public void RemoveContribution(BlockFacts block)
    {
        if (ReferenceEquals(_block, block))
        {
            _block = null;
            _node = null;
            if (_more is { Count: > 0 })
            {
                (_block, _node) = _more[^1];
                _more.RemoveAt(_more.Count - 1);
            }
        }
        else
        {
            _more?.RemoveAll(c => ReferenceEquals(c.Block, block));
        }
        if (_more is { Count: 0 }) _more = null;
    }
}

/// <summary>
/// The cluster as the planner indexes it: nodes, pools, blocks, and felix's trie entries that matter for routes —
/// block destinations, tunnel-address entries and host-address entries (l3_route_resolver.go:1202-1221). Every change
/// records the destinations it may have changed (unless given no set, as when loading), so the planner re-plans only those.
/// </summary>
internal sealed class ClusterIndex
{
    public NodeNames Names { get; } = new();
    public Dictionary<string, NodeFacts> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>The node names in ordinal order, which plans list nodes in; kept until a node comes or goes.</summary>
    public IReadOnlyList<string> SortedNodeNames => _sortedNames ??= Nodes.Keys.Order(StringComparer.Ordinal).ToArray();
    private string[]? _sortedNames;
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

    public NodeFacts? SetNode(NodeFacts? facts, string name, ISet<NetKey>? touched)
    {
        name = Names.Intern(name);
        Nodes.Remove(name, out var old);
        if ((old is null) != (facts is null)) _sortedNames = null;
        if (old is not null)
        {
            foreach (var key in old.TunnelKeys)
            {
                RemoveRef(_tunnelRefs, key, name);
                ChangeTunnelCount(key, -1);
                touched?.Add(key);
            }
            foreach (var key in old.HostKeys)
            {
                RemoveRef(_hostRefs, key, name);
                touched?.Add(key);
            }
        }
        if (facts is not null)
        {
            Nodes[name] = facts;
            foreach (var key in facts.TunnelKeys)
            {
                AddRef(_tunnelRefs, key, name);
                ChangeTunnelCount(key, +1);
                touched?.Add(key);
            }
            foreach (var key in facts.HostKeys)
            {
                AddRef(_hostRefs, key, name);
                touched?.Add(key);
            }
        }
        return old;
    }

    public BlockFacts? SetBlock(BlockFacts? block, NetKey key, ISet<NetKey>? touched)
    {
        if (Blocks.TryGet(key, out var old))
        {
            Blocks.Remove(key);
            foreach (var route in old.Routes)
            {
                var destination = Destinations[route.Destination];
                destination.RemoveContribution(old);
                if (destination.IsEmpty) Destinations.Remove(route.Destination);
                touched?.Add(route.Destination);
            }
        }
        if (block is not null)
        {
            Blocks.Set(key, block);
            foreach (var route in block.Routes)
            {
                GetOrAdd(route.Destination).AddContribution(block, route.Node);
                touched?.Add(route.Destination);
            }
        }
        if (touched is not null) TouchTunnelAddressesIn(key, touched);
        return old;
    }

    /// <summary>A tunnel address in a changed block may become, or stop being, borrowed.</summary>
    private void TouchTunnelAddressesIn(NetKey block, ISet<NetKey> touched)
    {
        var size = block.Width - block.Length >= 31 ? long.MaxValue : 1L << (block.Width - block.Length);
        if (size <= _tunnelRefs.Count)
        {
            // Probing each address of a /26 beats scanning thousands of tunnel addresses.
            for (var offset = 0; offset < size; offset++)
            {
                var address = block.HostAt(offset);
                if (_tunnelRefs.ContainsKey(address)) touched.Add(address);
            }
            return;
        }
        foreach (var tunnelKey in _tunnelRefs.Keys)
        {
            if (block.Contains(tunnelKey)) touched.Add(tunnelKey);
        }
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
