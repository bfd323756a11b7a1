namespace Calico.Routing;

/// <summary>
/// One string per node name across nodes, blocks and allocations, so planning can compare names by reference: the
/// planner compares node names for every destination, and comparing characters would touch one more object each time.
/// Names are never dropped; a name costs a few dozen bytes even after its node has gone.
/// </summary>
internal sealed class NodeNames
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string Intern(string name)
    {
        if (_names.TryGetValue(name, out var interned)) return interned;
        _names[name] = name;
        return name;
    }

    /// <summary>Equality of two interned names (or nulls).</summary>
    public static bool Same(string? a, string? b) => ReferenceEquals(a, b);
}
