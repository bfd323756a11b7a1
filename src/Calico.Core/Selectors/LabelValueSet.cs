using System.Collections.Frozen;

namespace Calico.Selectors;

/// <summary>
/// The values of an "in" / "not in" set: de-duplicated and sorted as Go sorts strings (parser/stringset.go:56-72),
/// so the canonical text lists them in Calico's order, with a frozen set for allocation-free lookups.
/// </summary>
internal sealed class LabelValueSet
{
    private readonly FrozenSet<string> _lookup;

    public LabelValueSet(IEnumerable<string> values)
    {
        var sorted = values.Distinct(StringComparer.Ordinal).ToArray();
        Array.Sort(sorted, GoStringComparer.Instance);
        Values = sorted;
        _lookup = sorted.ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Distinct values in Go's string order.</summary>
    public IReadOnlyList<string> Values { get; }

    public bool Contains(string value) => _lookup.Contains(value);
}

/// <summary>
/// Go compares strings byte by byte in UTF-8, which is code-point order. Ordinal UTF-16 order differs for
/// characters above U+FFFF (surrogates, 0xD800-0xDFFF) against U+E000-U+FFFF, so those are moved above them here.
/// </summary>
internal sealed class GoStringComparer : IComparer<string>
{
    public static readonly GoStringComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var n = Math.Min(x.Length, y.Length);
        for (var i = 0; i < n; i++)
        {
            if (x[i] != y[i]) return CodePointRank(x[i]) - CodePointRank(y[i]);
        }
        return x.Length - y.Length;
    }

    private static int CodePointRank(char c) => c < 0xD800 ? c : c >= 0xE000 ? c - 0x800 : c + 0x2000;
}
