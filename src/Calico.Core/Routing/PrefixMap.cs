namespace Calico.Routing;

/// <summary>
/// Values keyed by masked prefix, with the lookups felix does on its route trie: every entry on the path
/// from the root down to a destination (l3_route_resolver.go:707), shortest first. Lookups try only the
/// prefix lengths actually present, so a few pool or block sizes cost a few dictionary probes.
/// </summary>
internal sealed class PrefixMap<T> where T : class
{
    private readonly Dictionary<NetKey, T> _entries = new();
    // Per family: how many entries use each prefix length, and the lengths in use, ascending.
    private readonly int[] _countsV4 = new int[33];
    private readonly int[] _countsV6 = new int[129];
    private int[] _lengthsV4 = [];
    private int[] _lengthsV6 = [];

    public int Count => _entries.Count;
    public IEnumerable<T> Values => _entries.Values;
    public IEnumerable<KeyValuePair<NetKey, T>> Entries => _entries;

    public bool TryGet(NetKey key, out T value) => _entries.TryGetValue(key, out value!);

    public void Set(NetKey key, T value)
    {
        if (_entries.TryAdd(key, value)) Tally(key, +1);
        else _entries[key] = value;
    }

    public bool Remove(NetKey key)
    {
        if (!_entries.Remove(key)) return false;
        Tally(key, -1);
        return true;
    }

    /// <summary>The entries whose prefix contains <paramref name="key"/> (itself included), shortest first.</summary>
    public void CollectPath(NetKey key, List<T> path)
    {
        path.Clear();
        foreach (var length in key.IsV6 ? _lengthsV6 : _lengthsV4)
        {
            if (length > key.Length) break;
            if (_entries.TryGetValue(key.Truncate(length), out var value)) path.Add(value);
        }
    }

    /// <summary>The entry whose prefix strictly contains <paramref name="key"/>, longest first; null if none.</summary>
    public T? FindEnclosing(NetKey key)
    {
        var lengths = key.IsV6 ? _lengthsV6 : _lengthsV4;
        for (var i = lengths.Length - 1; i >= 0; i--)
        {
            if (lengths[i] >= key.Length) continue;
            if (_entries.TryGetValue(key.Truncate(lengths[i]), out var value)) return value;
        }
        return null;
    }

    private void Tally(NetKey key, int delta)
    {
        var counts = key.IsV6 ? _countsV6 : _countsV4;
        var before = counts[key.Length];
        counts[key.Length] += delta;
        if ((before == 0) == (counts[key.Length] == 0)) return;
        var lengths = Enumerable.Range(0, counts.Length).Where(l => counts[l] > 0).ToArray();
        if (key.IsV6) _lengthsV6 = lengths; else _lengthsV4 = lengths;
    }
}
