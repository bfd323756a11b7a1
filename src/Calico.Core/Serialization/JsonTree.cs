using System.Text;
using System.Text.Json;

namespace Calico.Serialization;

/// <summary>Reads JSON into a <see cref="DocNode"/> tree, keeping object member order and duplicate keys.</summary>
public static class JsonTree
{
    public const int MaxDepth = 64;

    public static DocNode Parse(string json) => Parse(Encoding.UTF8.GetBytes(json));

    /// <exception cref="JsonException">When the text is not JSON; the message names the line and byte.</exception>
    public static DocNode Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = MaxDepth, CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read()) throw new JsonException("the value is empty");
        var node = ReadValue(ref reader);
        if (reader.Read()) throw new JsonException($"unexpected data after the value at byte {reader.TokenStartIndex}");
        return node;
    }

    private static DocNode ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var map = new DocMapping();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = new DocScalar(reader.GetString(), quoted: true);
                    reader.Read();
                    map.Entries.Add(new(key, ReadValue(ref reader)));
                }
                return map;
            case JsonTokenType.StartArray:
                var seq = new DocSequence();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    seq.Items.Add(ReadValue(ref reader));
                return seq;
            case JsonTokenType.String:
                return new DocScalar(reader.GetString(), quoted: true);
            case JsonTokenType.Number:
                return new DocScalar(Encoding.UTF8.GetString(reader.ValueSpan), quoted: false);
            case JsonTokenType.True:
                return new DocScalar("true", quoted: false);
            case JsonTokenType.False:
                return new DocScalar("false", quoted: false);
            case JsonTokenType.Null:
                return new DocScalar(null, quoted: false);
            default:
                throw new JsonException($"unexpected {reader.TokenType} at byte {reader.TokenStartIndex}");
        }
    }
}
