namespace Calico.Routing;

/// <summary>What the pools on a destination's path say about it (l3_route_resolver.go:737-753).</summary>
internal readonly record struct PoolVerdict(PoolRouteType Type, bool NatOutgoing, bool CrossSubnet, PoolFacts? Pool);

/// <summary>
/// The pools by name and by CIDR. felix keys pools by CIDR (model.IPPoolKey), so two pools with one CIDR are one pool
/// to it; here the first by name stands for the CIDR, so the answer does not depend on the order of updates.
/// </summary>
internal sealed class PoolIndex
{
    private readonly Dictionary<string, PoolFacts> _byName = new(StringComparer.Ordinal);
    private readonly PrefixMap<List<PoolFacts>> _byCidr = new();
    private readonly List<List<PoolFacts>> _path = new();

    public IEnumerable<PoolFacts> All => _byName.Values;
    public int Count => _byName.Count;

    public bool TryGet(string name, out PoolFacts pool) => _byName.TryGetValue(name, out pool!);

    /// <summary>The pools felix sees: one per CIDR.</summary>
    public IEnumerable<PoolFacts> Effective => _byCidr.Values.Select(g => g[0]);

    /// <summary>Names of pools hidden behind another pool with the same CIDR.</summary>
    public IEnumerable<(PoolFacts Hidden, PoolFacts Shown)> Shadowed =>
        _byCidr.Values.Where(g => g.Count > 1).SelectMany(g => g.Skip(1).Select(h => (h, g[0])));

    public PoolFacts? Set(PoolFacts pool)
    {
        var old = Remove(pool.Name);
        _byName[pool.Name] = pool;
        if (!_byCidr.TryGet(pool.Key, out var group)) _byCidr.Set(pool.Key, group = new List<PoolFacts>(1));
        group.Add(pool);
        group.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return old;
    }

    public PoolFacts? Remove(string name)
    {
        if (!_byName.Remove(name, out var old)) return null;
        if (_byCidr.TryGet(old.Key, out var group))
        {
            group.Remove(old);
            if (group.Count == 0) _byCidr.Remove(old.Key);
        }
        return old;
    }

    /// <summary>
    /// Walks the pools containing <paramref name="destination"/>, widest first, as felix's flush does: the last pool with
    /// a type sets the type, and NAT and cross-subnet hold if any pool on the path has them.
    /// </summary>
    public PoolVerdict Resolve(NetKey destination)
    {
        _byCidr.CollectPath(destination, _path);
        var type = PoolRouteType.None;
        bool nat = false, crossSubnet = false;
        PoolFacts? typed = null, innermost = null;
        foreach (var group in _path)
        {
            var pool = group[0];
            innermost = pool;
            if (pool.Type != PoolRouteType.None)
            {
                type = pool.Type;
                typed = pool;
            }
            nat |= pool.NatOutgoing;
            crossSubnet |= pool.CrossSubnet;
        }
        return new PoolVerdict(type, nat, crossSubnet, typed ?? innermost);
    }
}
