using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Matches mapping keys to struct fields as Go's encoding/json does in calicoctl's strict v1 reader:
/// an exact name first, otherwise a case-insensitive one ("Metadata", "NAT-Outgoing"); any other key is an
/// unknown field, and a field given twice (in any spelling) is an error.
/// </summary>
internal static class GoFieldMatch
{
    public delegate void Visitor(string field, DocNode value, string path);

    /// <summary>Visits each known field of <paramref name="node"/> under its canonical name.</summary>
    public static void Fields(DecodeContext ctx, DocNode node, string path, string[] names, Visitor visit)
    {
        if (node is DocScalar { IsNull: true }) return;
        if (node is not DocMapping map)
        {
            ctx.Error(node, path, DecodeContext.ScalarText(node), $"expected a mapping, got a {node.Describe()}");
            return;
        }
        Span<bool> seen = stackalloc bool[names.Length];
        foreach (var (key, value) in map.Entries)
        {
            var written = key.Value ?? "";
            var fieldPath = DecodeContext.Join(path, written);
            var index = Find(names, written);
            if (index < 0)
            {
                ctx.UnknownField(key, fieldPath);
                continue;
            }
            if (seen[index])
            {
                ctx.Error(key, fieldPath, null, "field is given more than once");
                continue;
            }
            seen[index] = true;
            visit(names[index], value, fieldPath);
        }
    }

    private static int Find(string[] names, string key)
    {
        for (var i = 0; i < names.Length; i++)
            if (names[i] == key) return i;
        for (var i = 0; i < names.Length; i++)
            if (FoldEquals(names[i], key)) return i;
        return -1;
    }

    // Go folds ASCII case and also lets K (Kelvin sign) match k and ſ (long s) match s.
    private static bool FoldEquals(string name, string key)
    {
        if (name.Length != key.Length) return false;
        for (var i = 0; i < name.Length; i++)
        {
            var (n, k) = (char.ToLowerInvariant(name[i]), key[i]);
            if (n == k || (k < 0x80 && n == char.ToLowerInvariant(k))) continue;
            if ((n == 'k' && k == '\u212A') || (n == 's' && k == '\u017F')) continue;
            return false;
        }
        return true;
    }
}
