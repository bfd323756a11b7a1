using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Reads one YAML (or JSON) document into a <see cref="DocNode"/> tree, keeping line and column. The block YAML
/// manifests are usually written in is read by <see cref="BlockYamlScanner"/>, JSON by <see cref="JsonFlowScanner"/>;
/// anything else, or anything they are unsure of, by YamlDotNet (<see cref="YamlDotNetEvents"/>). All of them feed
/// one <see cref="YamlTreeBuilder"/>, which bounds nesting and alias expansion, so hostile input is an error rather
/// than a crash.
/// </summary>
internal static class YamlTree
{
    /// <summary>
    /// The root of the document in <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>], or null
    /// when it holds nothing (only comments) or could not be read; problems go to <paramref name="ctx"/>.
    /// <paramref name="firstLine"/> is the document's first line in the whole source.
    /// </summary>
    public static DocNode? Read(string text, int start, int end, int firstLine, DecodeContext ctx)
    {
        var builder = new YamlTreeBuilder();
        if (!TryReadFast(text, start, end, firstLine, builder))
        {
            builder = new YamlTreeBuilder();
            ReadWithYamlDotNet(text, start, end, firstLine, builder);
        }
        return builder.Finish(ctx);
    }

    /// <summary>
    /// Reads the document with a fast reader when it is within what one understands: JSON when it starts with a
    /// bracket, block YAML otherwise. False when neither is sure; the builder must then be discarded.
    /// </summary>
    internal static bool TryReadFast(string text, int start, int end, int firstLine, YamlTreeBuilder builder)
    {
        var first = text.AsSpan(start, end - start).IndexOfAnyExcept(" \r\n");
        return first >= 0 && text[start + first] is '{' or '['
            ? JsonFlowScanner.TryRead(text, start, end, firstLine, builder)
            : BlockYamlScanner.TryRead(text, start, end, firstLine, builder);
    }

    /// <summary>Reads any YAML, as <see cref="Read(string, int, int, int, DecodeContext)"/> does when the fast reader declines.</summary>
    internal static void ReadWithYamlDotNet(string text, int start, int end, int firstLine, YamlTreeBuilder builder)
    {
        var document = start == 0 && end == text.Length ? text : text[start..end];
        if (FindDisallowedCharacter(document) is { } bad)
        {
            var (line, column) = Position(document, bad);
            builder.Fail(firstLine - 1 + line, column, $"control characters are not allowed (U+{(int)document[bad]:X4})");
            return;
        }
        YamlDotNetEvents.Read(document, firstLine, builder);
    }

    // go-yaml's reader accepts tab, line breaks, printable ASCII, NEL and the rest of Unicode except
    // C1 controls, surrogates and U+FFFE/U+FFFF; YamlDotNet is laxer, so check first.
    private static int? FindDisallowedCharacter(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' or (>= ' ' and <= '~') or '\u0085' or (>= '\u00A0' and <= '\uD7FF') or (>= '\uE000' and <= '\uFFFD'))
                continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            return i;
        }
        return null;
    }

    /// <summary>The 1-based line and column of <paramref name="index"/> in <paramref name="text"/>.</summary>
    public static (int Line, int Column) Position(string text, int index)
    {
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return (line, index - lineStart + 1);
    }
}
