using System.Globalization;
using System.Net;
using System.Text.Json;
using Calico.Net;
using Calico.Serialization;

namespace Calico.Dataplane.Kernel.Json;

/// <summary>
/// One JSON value of iproute2 output and where it sits ("[2].linkinfo.info_data.id"), so that a value the
/// parser cannot read is reported with its path and text. iproute2's JSON varies by kind and version:
/// numbers sometimes come as strings, fields come and go, so every accessor tolerates absence.
/// </summary>
internal readonly struct JsonField
{
    private readonly string _source;

    public JsonField(JsonElement element, string path, string source)
    {
        Element = element;
        Path = path;
        _source = source;
    }

    public JsonElement Element { get; }
    public string Path { get; }

    /// <summary>Parses <paramref name="json"/>, which must be an array, and reads each item into any number of values.</summary>
    public static IReadOnlyList<T> ReadArrayFlattened<T>(string json, string source, Func<JsonField, IEnumerable<T>> read)
    {
        using var document = JsonDocument.Parse(json);
        var root = new JsonField(document.RootElement, "", source);
        if (document.RootElement.ValueKind != JsonValueKind.Array) throw root.Error("expected a JSON array");
        return root.Items().SelectMany(read).ToArray();
    }

    /// <summary>Parses <paramref name="json"/>, which must be an array, and reads each item into one value.</summary>
    public static IReadOnlyList<T> ReadArray<T>(string json, string source, Func<JsonField, T> read) =>
        ReadArrayFlattened(json, source, item => new[] { read(item) });

    public IEnumerable<JsonField> Items()
    {
        if (Element.ValueKind != JsonValueKind.Array) yield break;
        var i = 0;
        foreach (var item in Element.EnumerateArray()) yield return new JsonField(item, $"{Path}[{i++}]", _source);
    }

    public JsonField? Get(string name) =>
        Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? new JsonField(value, Path.Length == 0 ? name : $"{Path}.{name}", _source)
            : null;

    /// <summary>True when the key is there at all: iproute2 prints some flags as `"router": null`.</summary>
    public bool Has(string name) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(name, out _);

    public string? String(string name) => Get(name)?.AsString();

    public string RequiredString(string name) => String(name) ?? throw Child(name).Error("missing");

    public string AsString() => Element.ValueKind switch
    {
        JsonValueKind.String => Element.GetString()!,
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => Element.GetRawText(),
        _ => throw Error("expected a string"),
    };

    /// <summary>An integer given as a JSON number or as a decimal string ("80").</summary>
    public int? Int(string name) => Get(name)?.AsInt();

    public int RequiredInt(string name) => Int(name) ?? throw Child(name).Error("missing");

    public int AsInt()
    {
        if (Element.ValueKind == JsonValueKind.Number && Element.TryGetInt64(out var n) && n is >= int.MinValue and <= uint.MaxValue)
            return unchecked((int)n);
        if (Element.ValueKind == JsonValueKind.String
            && long.TryParse(Element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out n) && n is >= int.MinValue and <= uint.MaxValue)
            return unchecked((int)n);
        throw Error("expected an integer");
    }

    public bool Bool(string name) => Get(name)?.Element.ValueKind == JsonValueKind.True;

    public bool? OptionalBool(string name) => Get(name)?.Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        null => null,
        _ => throw Child(name).Error("expected true or false"),
    };

    public IReadOnlyList<string> Strings(string name) =>
        Get(name) is { } array ? array.Items().Select(item => item.AsString()).ToArray() : [];

    /// <summary>An address; iproute2 writes "any" (and nothing) for an unset tunnel endpoint.</summary>
    public IPAddress? Address(string name)
    {
        var field = Get(name);
        if (field is null) return null;
        var text = field.Value.AsString();
        if (text == "any") return null;
        return IPParser.TryParse(text, out var address) ? address : throw field.Value.Error("not an IP address");
    }

    public FormatException Error(string message) => new(new FieldError
    {
        Source = _source,
        Field = Path,
        Value = Element.ValueKind switch
        {
            JsonValueKind.Undefined => null,
            JsonValueKind.String => Element.GetString(),
            _ => Element.GetRawText(),
        },
        Message = message,
    }.ToString());

    private JsonField Child(string name) => new(default, Path.Length == 0 ? name : $"{Path}.{name}", _source);
}
