using System.Globalization;
using System.Text;

namespace Calico.Serialization;

/// <summary>
/// Writes JSON exactly as Go's encoding/json does (compact, or MarshalIndent with two spaces), including its
/// string escaping (&lt;, &gt;, &amp;, U+2028 and U+2029 as \u escapes; other non-ASCII left as UTF-8),
/// so values we store are byte-for-byte what Calico stores.
/// </summary>
public sealed class GoJsonWriter
{
    private readonly StringBuilder _sb;
    private readonly bool _indent;
    private int _depth;
    // One flag per open container: has it had a member yet?
    private readonly Stack<bool> _hasItems = new();
    private bool _afterName;

    public GoJsonWriter(bool indent = false, int capacity = 512)
    {
        _sb = new StringBuilder(capacity);
        _indent = indent;
    }

    public override string ToString() => _sb.ToString();

    public GoJsonWriter StartObject() { BeforeValue(); _sb.Append('{'); Open(); return this; }
    public GoJsonWriter EndObject() { Close('}'); return this; }
    public GoJsonWriter StartArray() { BeforeValue(); _sb.Append('['); Open(); return this; }
    public GoJsonWriter EndArray() { Close(']'); return this; }

    public GoJsonWriter Name(string name)
    {
        BeforeValue();
        WriteString(_sb, name);
        _sb.Append(_indent ? ": " : ":");
        _afterName = true;
        return this;
    }

    public GoJsonWriter String(string value) { BeforeValue(); WriteString(_sb, value); return this; }
    public GoJsonWriter Bool(bool value) { BeforeValue(); _sb.Append(value ? "true" : "false"); return this; }
    public GoJsonWriter Number(long value) { BeforeValue(); _sb.Append(value.ToString(CultureInfo.InvariantCulture)); return this; }
    public GoJsonWriter Null() { BeforeValue(); _sb.Append("null"); return this; }
    internal GoJsonWriter RawScalar(string token) { BeforeValue(); _sb.Append(token); return this; }
    public GoJsonWriter RawUnsigned(ulong value) { BeforeValue(); _sb.Append(value.ToString(CultureInfo.InvariantCulture)); return this; }

    /// <summary>Inserts already-encoded JSON (re-indented when writing indented output).</summary>
    public GoJsonWriter Raw(string json)
    {
        if (!_indent) { BeforeValue(); _sb.Append(json); return this; }
        // Each value written from the tree places its own separator.
        var tree = JsonTree.Parse(json);
        WriteTreeValue(tree);
        return this;
    }

    // Members are written as "name":value pairs; these helpers apply Go's omitempty.
    public GoJsonWriter OptString(string name, string? value) => string.IsNullOrEmpty(value) ? this : Name(name).String(value);
    public GoJsonWriter OptBool(string name, bool value) => value ? Name(name).Bool(true) : this;
    public GoJsonWriter OptNumber(string name, long value) => value == 0 ? this : Name(name).Number(value);

    public GoJsonWriter OptStringList(string name, IReadOnlyList<string>? values)
    {
        if (values is null || values.Count == 0) return this;
        Name(name).StartArray();
        foreach (var v in values) String(v);
        return EndArray();
    }

    /// <summary>A map[string]string with omitempty: keys sorted by byte order, as Go sorts them.</summary>
    public GoJsonWriter OptStringMap(string name, IReadOnlyDictionary<string, string>? map)
    {
        if (map is null || map.Count == 0) return this;
        Name(name).StartObject();
        foreach (var key in map.Keys.OrderBy(k => k, StringComparer.Ordinal)) Name(key).String(map[key]);
        return EndObject();
    }

    /// <summary>metav1.Time: RFC 3339 in UTC, whole seconds; the zero time is null.</summary>
    public GoJsonWriter Time(DateTimeOffset? value) =>
        value is { } t ? String(t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)) : Null();

    private void WriteTreeValue(DocNode node)
    {
        switch (node)
        {
            case DocMapping m:
                StartObject();
                foreach (var (k, v) in m.Entries) { Name(k.Value ?? ""); WriteTreeValue(v); }
                EndObject();
                break;
            case DocSequence s:
                StartArray();
                foreach (var v in s.Items) WriteTreeValue(v);
                EndArray();
                break;
            case DocScalar sc:
                if (sc.Quoted) String(sc.Value ?? "");
                else { BeforeValue(); _sb.Append(sc.Value ?? "null"); }
                break;
        }
    }

    private void Open()
    {
        _hasItems.Push(false);
        _depth++;
    }

    private void Close(char c)
    {
        var had = _hasItems.Pop();
        _depth--;
        if (had && _indent) NewLine();
        _sb.Append(c);
    }

    private void BeforeValue()
    {
        if (_afterName) { _afterName = false; return; }
        if (_hasItems.Count == 0) return;
        if (_hasItems.Peek()) _sb.Append(',');
        _hasItems.Pop();
        _hasItems.Push(true);
        if (_indent) NewLine();
    }

    private void NewLine()
    {
        _sb.Append('\n');
        _sb.Append(' ', _depth * 2);
    }

    public static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    if (c < 0x20) sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
