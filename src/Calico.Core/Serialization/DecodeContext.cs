using System.Globalization;

namespace Calico.Serialization;

/// <summary>
/// Reads typed fields out of a <see cref="DocNode"/> tree the way Go's strict YAML/JSON unmarshalling does
/// (unknown and duplicate fields are errors; scalars are typed by the field they land in), collecting
/// every problem instead of stopping at the first.
/// </summary>
public sealed class DecodeContext
{
    public DecodeContext(string? source = null, int document = 0)
    {
        Source = source;
        Document = document;
    }

    public string? Source { get; }
    public int Document { get; }

    // Most documents decode without a problem, so the list is made on the first.
    private List<FieldError>? _errors;
    public List<FieldError> Errors => _errors ??= new();
    public bool HasErrors => _errors is { Count: > 0 };

    public void Error(DocNode? at, FieldPath field, string? value, string message) =>
        Errors.Add(new FieldError
        {
            Source = Source,
            Document = Document,
            Line = at?.Line ?? 0,
            Column = at?.Column ?? 0,
            Field = field.ToString(),
            Value = value,
            Message = message,
        });

    public static string Join(string path, string field) => path.Length == 0 ? field : path + "." + field;

    /// <summary>
    /// The fields of a mapping, each once, in order: <c>foreach (var (name, value, fieldPath) in ctx.Fields(node, path))</c>.
    /// A field given again is reported and skipped; a value that is not a mapping is reported and has no fields;
    /// null has none.
    /// </summary>
    public MappingFields Fields(DocNode node, FieldPath path)
    {
        if (node is DocScalar { IsNull: true }) return default;
        if (node is not DocMapping map)
        {
            Error(node, path, ScalarText(node), $"expected a mapping, got a {node.Describe()}");
            return default;
        }
        return new MappingFields(this, map, path.ToString());
    }

    public void UnknownField(DocNode at, FieldPath fieldPath) =>
        Error(at, fieldPath, null, "unknown field");

    public string? String(DocNode node, FieldPath path)
    {
        if (node is DocScalar s)
            return s.IsNull ? null : s.StringValue ?? s.Value;
        Error(node, path, null, $"expected a string, got a {node.Describe()}");
        return null;
    }

    public bool Bool(DocNode node, FieldPath path)
    {
        if (node is DocScalar s)
        {
            if (s.IsNull) return false;
            if (!s.Quoted)
            {
                switch (s.Value)
                {
                    // go-yaml v2 (YAML 1.1) booleans, which calicoctl's YAML reader accepts.
                    case "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "y" or "Y" or "on" or "On" or "ON":
                        return true;
                    case "false" or "False" or "FALSE" or "no" or "No" or "NO" or "n" or "N" or "off" or "Off" or "OFF":
                        return false;
                }
            }
            Error(node, path, s.Value, "expected a boolean (true or false)");
            return false;
        }
        Error(node, path, null, $"expected a boolean, got a {node.Describe()}");
        return false;
    }

    public long Integer(DocNode node, FieldPath path, long min, long max)
    {
        if (node is DocScalar s)
        {
            if (s.IsNull) return 0;
            if (!s.Quoted && long.TryParse(s.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
            {
                if (v >= min && v <= max) return v;
                Error(node, path, s.Value, $"number is out of range ({min} to {max})");
                return 0;
            }
            var what = !s.Quoted && s.Value is { Length: > 0 } t && (char.IsAsciiDigit(t[0]) || t[0] is '-' or '+')
                ? "expected a whole number in range" : "expected a whole number";
            Error(node, path, s.Value, what);
            return 0;
        }
        Error(node, path, null, $"expected a number, got a {node.Describe()}");
        return 0;
    }

    public TEnum? Enum<TEnum>(DocNode node, FieldPath path) where TEnum : struct, Enum
    {
        var text = String(node, path);
        if (string.IsNullOrEmpty(text)) return null;
        // Calico's enums are case-sensitive, as the CRD schema's enum lists are.
        var names = EnumNames<TEnum>.Names;
        for (var i = 0; i < names.Length; i++)
            if (names[i] == text) return EnumNames<TEnum>.Values[i];
        Error(node, path, text, EnumNames<TEnum>.Supported);
        return null;
    }

    /// <summary>
    /// An enum held by pointer in Go (assignmentMode): an explicit empty string is kept, and refused by the CRD enum,
    /// unlike plain string enums where "" means absent.
    /// </summary>
    public TEnum? OptionalEnum<TEnum>(DocNode node, FieldPath path) where TEnum : struct, Enum
    {
        if (node is DocScalar { Quoted: true, Value: "" })
        {
            Error(node, path, "", EnumNames<TEnum>.Supported);
            return null;
        }
        return Enum<TEnum>(node, path);
    }

    public DateTimeOffset? Timestamp(DocNode node, FieldPath path)
    {
        var text = String(node, path);
        if (string.IsNullOrEmpty(text)) return null;
        if (DateTimeOffset.TryParseExact(text, Rfc3339Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t))
            return t;
        Error(node, path, text, "expected an RFC 3339 timestamp such as 2026-01-01T00:00:00Z");
        return null;
    }

    private static readonly string[] Rfc3339Formats =
    {
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'",
    };

    public Dictionary<string, string>? StringMap(DocNode node, FieldPath path)
    {
        if (node is DocScalar s && s.IsNull) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        FieldPath parent = path.ToString();
        // Label paths read better as labels["app"] than as labels.app when keys hold dots or slashes.
        foreach (var field in Fields(node, parent))
            map[field.Name] = String(field.Value, parent.Key(field.Name)) ?? "";
        return map;
    }

    public List<T>? List<T>(DocNode node, FieldPath path, Func<DocNode, FieldPath, T?> item)
    {
        if (node is DocScalar s && s.IsNull) return null;
        if (node is not DocSequence seq)
        {
            Error(node, path, ScalarText(node), $"expected a list, got a {node.Describe()}");
            return null;
        }
        var list = new List<T>(seq.Items.Count);
        FieldPath parent = path.ToString();
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var v = item(seq.Items[i], parent.Item(i));
            if (v is not null) list.Add(v);
        }
        return list;
    }

    public static string? ScalarText(DocNode node) => node is DocScalar s ? s.Value : null;

    // Enum.GetNames copies its array on every call; decoding asks for the names of a few enums over and over.
    private static class EnumNames<TEnum> where TEnum : struct, Enum
    {
        public static readonly string[] Names = System.Enum.GetNames<TEnum>();
        public static readonly TEnum[] Values = Names.Select(n => System.Enum.Parse<TEnum>(n)).ToArray();
        public static readonly string Supported = "unsupported value; supported values: " + string.Join(", ", Names.Select(n => "\"" + n + "\""));
    }
}
