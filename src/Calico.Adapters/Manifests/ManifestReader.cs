using System.Buffers;
using System.Text.Unicode;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Reads Calico manifests, YAML or JSON, as calicoctl reads them (`apply -f`, `convert -f`): documents split
/// at "---" lines, each a resource, a list of resources or a List; projectcalico.org/v3 and v1 resources.
/// Never throws for bad input: each problem is a <see cref="FieldError"/> on the item it concerns.
/// </summary>
public static class ManifestReader
{
    /// <summary>Reads every resource in <paramref name="text"/>, in order.</summary>
    /// <param name="source">Names the input in errors (a path, or "-" for standard input).</param>
    public static IReadOnlyList<ManifestItem> Read(string text, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var items = new List<ManifestItem>();
        var document = 0;
        foreach (var part in DocumentSplitter.Split(text))
        {
            if (part.SeparatorTail is { } tail)
            {
                // calicoctl drops what follows "---" on its line; reading the rest as if it were not there could hide a mistake.
                items.Add(Failure(source, ++document, part.SeparatorLine, "", tail,
                    "text after --- on the same line is not read by calicoctl; start the document on the next line"));
                continue;
            }
            var ctx = new DecodeContext(source, document + 1);
            var root = YamlTree.Read(text, part.Start, part.End, part.FirstLine, ctx);
            if (ctx.HasErrors)
            {
                document++;
                items.Add(new ManifestItem { Source = source, Document = document, Line = ctx.Errors[0].Line, Errors = ctx.Errors.ToArray() });
                continue;
            }
            // A document holding only comments or blank lines is skipped, as kubectl does (calicoctl fails on it).
            if (root is null) continue;
            ManifestDocument.Read(root, source, ++document, items);
        }
        if (document == 0)
            items.Add(Failure(source, 0, 0, "", null, "the manifest holds no resources"));
        return items;
    }

    /// <summary>Reads UTF-8 bytes (a leading byte-order mark is skipped); invalid UTF-8 is an error, as in go-yaml.</summary>
    public static IReadOnlyList<ManifestItem> Read(ReadOnlySpan<byte> utf8, string? source = null)
    {
        if (utf8.StartsWith("\uFEFF"u8)) utf8 = utf8[3..];
        var chars = new char[utf8.Length];
        var status = Utf8.ToUtf16(utf8, chars, out var read, out var written, replaceInvalidSequences: false);
        if (status == OperationStatus.Done) return Read(new string(chars, 0, written), source);
        var line = 1 + utf8[..read].Count((byte)'\n');
        return [Failure(source, 0, line, "", null, $"invalid UTF-8 at byte {read}")];
    }

    private static ManifestItem Failure(string? source, int document, int line, string field, string? value, string message) => new()
    {
        Source = source,
        Document = document,
        Line = line,
        Errors = [new FieldError { Source = source, Document = document, Line = line, Field = field, Value = value, Message = message }],
    };
}
