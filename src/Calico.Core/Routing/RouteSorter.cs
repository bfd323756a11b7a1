using System.Buffers;

namespace Calico.Routing;

/// <summary>
/// Puts routes in destination order. Its buffer is pooled: a plan sorts tens of thousands of routes, and a fresh buffer
/// that size each time would land on the large-object heap and bring full garbage collections with it.
/// </summary>
internal sealed class RouteSorter : IDisposable
{
    private static readonly ArrayPool<KeyValuePair<NetKey, PlannedRoute>> Pool = ArrayPool<KeyValuePair<NetKey, PlannedRoute>>.Shared;
    private KeyValuePair<NetKey, PlannedRoute>[] _buffer;
    private int _count;

    public RouteSorter(int capacity) => _buffer = Pool.Rent(Math.Max(capacity, 16));

    public static PlannedRoute[] Sort(IReadOnlyDictionary<NetKey, PlannedRoute> routes)
    {
        using var sorter = new RouteSorter(routes.Count);
        foreach (var (key, route) in routes) sorter.Add(key, route);
        return sorter.ToSortedArray();
    }

    public void Add(NetKey key, PlannedRoute route)
    {
        if (_count == _buffer.Length)
        {
            var larger = Pool.Rent(_buffer.Length * 2);
            Array.Copy(_buffer, larger, _count);
            Release();
            _buffer = larger;
        }
        _buffer[_count++] = new(key, route);
    }

    public PlannedRoute[] ToSortedArray()
    {
        Array.Sort(_buffer, 0, _count, ByKey.Instance);
        var sorted = new PlannedRoute[_count];
        for (var i = 0; i < _count; i++) sorted[i] = _buffer[i].Value;
        return sorted;
    }

    public void Dispose()
    {
        Release();
        _buffer = [];
        _count = 0;
    }

    private void Release()
    {
        // Clear what was used, so the pooled array does not keep routes alive.
        Array.Clear(_buffer, 0, _count);
        if (_buffer.Length > 0) Pool.Return(_buffer);
    }

    private sealed class ByKey : IComparer<KeyValuePair<NetKey, PlannedRoute>>
    {
        public static readonly ByKey Instance = new();
        public int Compare(KeyValuePair<NetKey, PlannedRoute> x, KeyValuePair<NetKey, PlannedRoute> y) => x.Key.CompareTo(y.Key);
    }
}
