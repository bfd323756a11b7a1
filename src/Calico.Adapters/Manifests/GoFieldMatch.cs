using System.Diagnostics;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Matches mapping keys to struct fields as Go's encoding/json does in calicoctl's strict v1 reader:
/// an exact name first, otherwise a case-insensitive one ("Metadata", "NAT-Outgoing"); any other key is an
/// unknown field, and a field given twice (in any spelling) is an error.
/// </summary>
internal static class GoFieldMatch
{
    /// <summary>
    /// The known fields of <paramref name="node"/>, each under its canonical name from <paramref name="names"/>:
    /// <c>foreach (var (field, value, path) in GoFieldMatch.Fields(...))</c>. Unknown and repeated fields are
    /// reported and skipped; a value that is not a mapping is reported and has no fields; null has none.
    /// </summary>
    public static MatchedFields Fields(DecodeContext ctx, DocNode node, FieldPath path, string[] names)
    {
        Debug.Assert(names.Length <= 64, "the seen set is one bit per name");
        if (node is DocScalar { IsNull: true }) return default;
        if (node is not DocMapping map)
        {
            ctx.Error(node, path, DecodeContext.ScalarText(node), $"expected a mapping, got a {node.Describe()}");
            return default;
        }
        return new MatchedFields(ctx, map, path.ToString(), names);
    }

    public readonly struct MatchedFields(DecodeContext? ctx, DocMapping? map, string path, string[] names)
    {
        public Enumerator GetEnumerator() => new(ctx, map, path ?? "", names);
    }

    public struct Enumerator(DecodeContext? ctx, DocMapping? map, string path, string[] names)
    {
        private ulong _seen;
        private int _index = -1;

        public MappingField Current { get; private set; }

        public bool MoveNext()
        {
            if (map is null) return false;
            while (++_index < map.Entries.Count)
            {
                var (key, value) = (map.Entries[_index].Key, map.Entries[_index].Value);
                var written = key.Value ?? "";
                FieldPath parent = path;
                var fieldPath = parent.Field(written);
                var index = Find(names, written);
                if (index < 0)
                {
                    ctx!.UnknownField(key, fieldPath);
                    continue;
                }
                if ((_seen & (1UL << index)) != 0)
                {
                    ctx!.Error(key, fieldPath, null, "field is given more than once");
                    continue;
                }
                _seen |= 1UL << index;
                Current = new MappingField(names[index], value, fieldPath);
                return true;
            }
            return false;
        }
    }

    /// <summary>Whether a key as written names the field <paramref name="name"/>, exactly or case-insensitively.</summary>
    public static bool Matches(string name, string key) => name == key || FoldEquals(name, key);

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
