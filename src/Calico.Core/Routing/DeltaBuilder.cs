namespace Calico.Routing;

/// <summary>Collects the differences of one update and keeps the maintained plan's maps in step with them.</summary>
internal sealed class DeltaBuilder
{
    public List<PlannedRoute> Added { get; } = new();
    public List<PlannedRoute> Removed { get; } = new();
    public List<VxlanNeighbour> NeighboursAdded { get; } = new();
    public List<VxlanNeighbour> NeighboursRemoved { get; } = new();
    public List<VxlanForwardingEntry> ForwardingAdded { get; } = new();
    public List<VxlanForwardingEntry> ForwardingRemoved { get; } = new();

    /// <summary>Puts <paramref name="value"/> (null: nothing) at <paramref name="key"/>, noting what changed.</summary>
    public static void Replace<TKey, TValue>(Dictionary<TKey, TValue> map, TKey key, TValue? value, List<TValue> added, List<TValue> removed)
        where TKey : notnull where TValue : class
    {
        map.TryGetValue(key, out var old);
        if (Equals(old, value)) return;
        if (old is not null) removed.Add(old);
        if (value is null) map.Remove(key);
        else
        {
            map[key] = value;
            added.Add(value);
        }
    }

    /// <summary>Replaces a whole map, noting every entry that differs.</summary>
    public static void ReplaceAll<TKey, TValue>(Dictionary<TKey, TValue> map, Dictionary<TKey, TValue> next, List<TValue> added, List<TValue> removed)
        where TKey : notnull where TValue : class
    {
        foreach (var (key, old) in map)
        {
            if (!next.TryGetValue(key, out var value) || !Equals(old, value)) removed.Add(old);
        }
        foreach (var (key, value) in next)
        {
            if (!map.TryGetValue(key, out var old) || !Equals(old, value)) added.Add(value);
        }
        map.Clear();
        foreach (var (key, value) in next) map[key] = value;
    }

    public RoutePlanDelta Build(bool devicesChanged, bool natChanged) =>
        new(Added, Removed, NeighboursAdded, NeighboursRemoved, ForwardingAdded, ForwardingRemoved, devicesChanged, natChanged);
}
