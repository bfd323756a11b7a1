namespace Calico.Serialization;

/// <summary>One field of a mapping being decoded.</summary>
/// <param name="Name">The key as written (for a v1 field matched case-insensitively, the field's own name).</param>
public readonly record struct MappingField(string Name, DocNode Value, FieldPath Path);

/// <summary>
/// The fields of a mapping as <see cref="DecodeContext.Fields"/> gives them: in order, each name once (a repeat is
/// reported to the context, as Go's strict decoding does, and skipped). A struct, so a foreach allocates nothing.
/// </summary>
public readonly struct MappingFields
{
    private readonly DecodeContext? _ctx;
    private readonly DocMapping? _map;
    private readonly string _path;

    internal MappingFields(DecodeContext ctx, DocMapping map, string path)
    {
        _ctx = ctx;
        _map = map;
        _path = path;
    }

    public Enumerator GetEnumerator() => new(_ctx, _map, _path ?? "");

    public struct Enumerator
    {
        private readonly DecodeContext? _ctx;
        private readonly DocMapping? _map;
        private readonly string _path;
        // Small mappings look back for a repeat; large ones remember the names seen.
        private HashSet<string>? _seen;
        private int _index;

        internal Enumerator(DecodeContext? ctx, DocMapping? map, string path)
        {
            _ctx = ctx;
            _map = map;
            _path = path;
            _seen = map is { Entries.Count: > 8 } ? new HashSet<string>(StringComparer.Ordinal) : null;
            _index = -1;
            Current = default;
        }

        public MappingField Current { get; private set; }

        public bool MoveNext()
        {
            if (_map is null) return false;
            var entries = _map.Entries;
            while (++_index < entries.Count)
            {
                var (key, value) = (entries[_index].Key, entries[_index].Value);
                var name = key.Value ?? "";
                FieldPath parent = _path;
                var path = parent.Field(name);
                var repeated = _seen is not null ? !_seen.Add(name) : IndexOfKey(entries, name) < _index;
                if (repeated)
                {
                    _ctx!.Error(key, path, null, "field is given more than once");
                    continue;
                }
                Current = new MappingField(name, value, path);
                return true;
            }
            return false;
        }

        private static int IndexOfKey(List<KeyValuePair<DocScalar, DocNode>> entries, string name)
        {
            for (var j = 0; j < entries.Count; j++)
                if (entries[j].Key.Value == name) return j;
            return -1;
        }
    }
}
