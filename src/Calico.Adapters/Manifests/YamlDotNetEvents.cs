using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Calico.Manifests;

/// <summary>
/// Feeds YamlDotNet's parse events into a <see cref="YamlTreeBuilder"/>: the reader for any YAML (and JSON)
/// that <see cref="BlockYamlScanner"/> leaves alone. Its syntax errors become the builder's failure, placed
/// where a user would look for them.
/// </summary>
internal static class YamlDotNetEvents
{
    /// <param name="firstLine">The text's first line in the whole source.</param>
    public static void Read(string text, int firstLine, YamlTreeBuilder builder)
    {
        var lineOffset = firstLine - 1;
        int lastLine = 0, lastColumn = 0;
        try
        {
            var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
            while (!builder.Failed && parser.MoveNext())
            {
                var ev = parser.Current!;
                var (line, column) = (lastLine, lastColumn) = ((int)ev.Start.Line + lineOffset, (int)ev.Start.Column);
                switch (ev)
                {
                    case DocumentStart: builder.DocumentStart(line, column); break;
                    case Scalar s:
                        builder.Scalar(s.Value, s.Tag.IsEmpty ? "" : s.Tag.Value, s.Style == ScalarStyle.Plain, AnchorOf(s.Anchor), line, column);
                        break;
                    case MappingStart m: builder.MappingStart(AnchorOf(m.Anchor), line, column); break;
                    case SequenceStart q: builder.SequenceStart(AnchorOf(q.Anchor), line, column); break;
                    case MappingEnd or SequenceEnd: builder.End(); break;
                    case AnchorAlias a: builder.Alias(a.Value.Value, line, column); break;
                }
            }
        }
        catch (YamlException ex)
        {
            var (line, column) = ((int)ex.Start.Line, (int)ex.Start.Column);
            // YamlDotNet points a tab-indentation error at the enclosing mapping; point at the tab instead.
            if (ex.Message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(text) is { } tab) (line, column) = tab;
            // At the end of the text it points past the last line; the text was cut short there.
            var last = LastContent(text);
            if (line > last.Line) (line, column) = last;
            builder.Fail(line + lineOffset, column, "not valid YAML: " + ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && ex.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly)
        {
            // A reader must not crash on any input: should YamlDotNet fail in some other way, report that.
            // (Our own code's failures are not caught here, so tests still see them.)
            builder.Fail(lastLine, lastColumn, $"the YAML parser failed ({ex.GetType().Name}): {ex.Message}");
        }
    }

    private static string? AnchorOf(AnchorName anchor) => anchor.IsEmpty ? null : anchor.Value;

    private static (int Line, int Column)? FirstTabIndent(string text)
    {
        var line = 1;
        for (var start = 0; start < text.Length; line++)
        {
            var end = text.IndexOf('\n', start);
            if (end < 0) end = text.Length;
            var i = start;
            while (i < end && text[i] is ' ' or '\t') i++;
            var tab = text.IndexOf('\t', start, i - start);
            if (tab >= 0 && i < end && text[i] != '#') return (line, tab - start + 1);
            start = end + 1;
        }
        return null;
    }

    // Line and column just after the last character that is not white space.
    private static (int Line, int Column) LastContent(string text)
    {
        var end = text.Length;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        return YamlTree.Position(text, end);
    }
}
