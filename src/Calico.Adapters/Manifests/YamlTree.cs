using Calico.Serialization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Calico.Manifests;

/// <summary>
/// Reads one YAML (or JSON) document into a <see cref="DocNode"/> tree from YamlDotNet's event parser,
/// keeping line and column. Iterative, so hostile nesting is an error rather than a stack overflow;
/// aliases share the anchored node and their expansion is budgeted, so "billion laughs" is an error too.
/// </summary>
internal static class YamlTree
{
    /// <summary>Deeper nesting than any Calico resource needs; the same limit as stored JSON.</summary>
    public const int MaxDepth = JsonTree.MaxDepth;

    /// <summary>How many values aliases may add to one document once expanded.</summary>
    public const long MaxAliasExpansion = 100_000;

    private sealed class Frame
    {
        public required DocNode Node;
        public required string Path;
        public string? Anchor;
        public long Size = 1;
        public DocScalar? Key;
        public bool KeyIsMerge;
        public List<(DocNode Value, DocNode At)>? Merges;
    }

    /// <summary>
    /// The document's root, or null when it holds nothing (only comments) or could not be read; problems go
    /// to <paramref name="ctx"/>. <paramref name="firstLine"/> is the text's first line in the whole source.
    /// </summary>
    public static DocNode? Read(string text, int firstLine, DecodeContext ctx)
    {
        var reader = new Reader(firstLine - 1, ctx);
        if (FindDisallowedCharacter(text) is { } bad)
        {
            var (line, column) = Position(text, bad);
            reader.Fail(firstLine - 1 + line, column, $"control characters are not allowed (U+{(int)text[bad]:X4})");
            return null;
        }
        try
        {
            return reader.Run(new Parser(new Scanner(new StringReader(text), skipComments: true)));
        }
        catch (YamlException ex)
        {
            var (line, column) = ((int)ex.Start.Line, (int)ex.Start.Column);
            // YamlDotNet points a tab-indentation error at the enclosing mapping; point at the tab instead.
            if (ex.Message.Contains("tab", StringComparison.Ordinal) && FirstTabIndent(text) is { } tab) (line, column) = tab;
            // At the end of the text it points past the last line; the text was cut short there.
            var last = LastContent(text);
            if (line > last.Line) (line, column) = last;
            reader.Fail(line + firstLine - 1, column, "not valid YAML: " + ex.Message);
            return null;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException && ex.TargetSite?.DeclaringType?.Assembly == typeof(Parser).Assembly)
        {
            // A reader must not crash on any input: should YamlDotNet fail in some other way, report that.
            // (Our own code's failures are not caught here, so tests still see them.)
            reader.Fail(reader.LastLine, reader.LastColumn, $"the YAML parser failed ({ex.GetType().Name}): {ex.Message}");
            return null;
        }
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
        return Position(text, end);
    }

    private static (int Line, int Column) Position(string text, int index)
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

    private sealed class Reader(int lineOffset, DecodeContext ctx)
    {
        private readonly Stack<Frame> _stack = new();
        // Most manifests use no anchors, so these are made on first use.
        private Dictionary<string, (DocNode Node, long Size)>? _anchors;
        private HashSet<string>? _openAnchors;
        private long _expanded;
        private DocNode? _root;
        private bool _failed;
        private int _documents;

        public int LastLine { get; private set; }
        public int LastColumn { get; private set; }

        public DocNode? Run(IParser parser)
        {
            while (!_failed && parser.MoveNext())
            {
                var ev = parser.Current!;
                LastLine = (int)ev.Start.Line + lineOffset;
                LastColumn = (int)ev.Start.Column;
                switch (ev)
                {
                    case DocumentStart:
                        if (++_documents > 1 && _root is not null)
                            Fail(ev.Start, "a second YAML document without a --- line before it; calicoctl reads only the first");
                        break;
                    case Scalar s: OnScalar(s); break;
                    case MappingStart m: Open(new DocMapping { Line = Line(m.Start), Column = Col(m.Start) }, m.Anchor, m.Start); break;
                    case SequenceStart q: Open(new DocSequence { Line = Line(q.Start), Column = Col(q.Start) }, q.Anchor, q.Start); break;
                    case MappingEnd or SequenceEnd: Close(); break;
                    case AnchorAlias a: OnAlias(a); break;
                }
            }
            if (_failed) return null;
            return _root is DocScalar { IsNull: true } ? null : _root;
        }

        public void Fail(Mark at, string message) => Fail(Line(at), Col(at), message);

        public void Fail(int line, int column, string message)
        {
            if (_failed) return;
            _failed = true;
            ctx.Errors.Add(new FieldError
            {
                Source = ctx.Source,
                Document = ctx.Document,
                Line = line,
                Column = column,
                Field = _stack.Count > 0 ? ChildPath(_stack.Peek()) : "",
                Message = message,
            });
        }

        private int Line(Mark m) => (int)m.Line + lineOffset;
        private static int Col(Mark m) => (int)m.Column;

        private void OnScalar(Scalar s)
        {
            var tag = s.Tag.IsEmpty ? "" : s.Tag.Value;
            if (_stack.TryPeek(out var top) && top.Node is DocMapping && top.Key is null
                && s.Value == "<<" && (tag == YamlScalars.MergeTag || (tag.Length == 0 && s.Style == ScalarStyle.Plain)))
            {
                top.Key = new DocScalar("<<", quoted: false) { Line = Line(s.Start), Column = Col(s.Start) };
                top.KeyIsMerge = true;
                return;
            }
            var node = YamlScalars.Resolve(s.Value, tag, s.Style == ScalarStyle.Plain, Line(s.Start), Col(s.Start), out var error);
            if (node is null)
            {
                Fail(s.Start, error!);
                return;
            }
            if (!s.Anchor.IsEmpty) (_anchors ??= new(StringComparer.Ordinal))[s.Anchor.Value] = (node, 1);
            Add(node, 1, s.Start);
        }

        private void Open(DocNode node, AnchorName anchor, Mark at)
        {
            if (_stack.TryPeek(out var top) && top.Node is DocMapping && top.Key is null)
            {
                Fail(at, "a mapping key must be a scalar");
                return;
            }
            if (_stack.Count >= MaxDepth)
            {
                Fail(at, $"values are nested more than {MaxDepth} deep");
                return;
            }
            var frame = new Frame { Node = node, Path = _stack.Count == 0 ? "" : ChildPath(_stack.Peek()) };
            if (!anchor.IsEmpty)
            {
                frame.Anchor = anchor.Value;
                (_openAnchors ??= new(StringComparer.Ordinal)).Add(anchor.Value);
            }
            _stack.Push(frame);
        }

        private void Close()
        {
            var frame = _stack.Pop();
            if (frame.Merges is not null) ApplyMerges((DocMapping)frame.Node, frame.Merges);
            if (_failed) return;
            if (frame.Anchor is not null)
            {
                _openAnchors!.Remove(frame.Anchor);
                (_anchors ??= new(StringComparer.Ordinal))[frame.Anchor] = (frame.Node, frame.Size);
            }
            Add(frame.Node, frame.Size, default);
        }

        private void OnAlias(AnchorAlias a)
        {
            var name = a.Value.Value;
            if (_openAnchors?.Contains(name) == true)
            {
                Fail(a.Start, $"anchor '{name}' value contains itself");
                return;
            }
            if (_anchors is null || !_anchors.TryGetValue(name, out var target))
            {
                Fail(a.Start, $"unknown anchor '{name}' referenced");
                return;
            }
            _expanded += target.Size;
            if (_expanded > MaxAliasExpansion)
            {
                Fail(a.Start, $"aliases expand to more than {MaxAliasExpansion} values");
                return;
            }
            Add(target.Node, target.Size, a.Start);
        }

        private void Add(DocNode node, long size, Mark at)
        {
            if (_stack.Count == 0)
            {
                _root = node;
                return;
            }
            var top = _stack.Peek();
            top.Size += size;
            switch (top.Node)
            {
                case DocSequence seq:
                    seq.Items.Add(node);
                    break;
                case DocMapping when top.Key is null:
                    var key = KeyText(node, at);
                    if (key is not null) top.Key = key;
                    break;
                case DocMapping map:
                    if (top.KeyIsMerge)
                    {
                        (top.Merges ??= new()).Add((node, top.Key!));
                        top.KeyIsMerge = false;
                    }
                    else
                    {
                        map.Entries.Add(new(top.Key!, node));
                    }
                    top.Key = null;
                    break;
            }
        }

        // sigs.k8s.io/yaml writes every key as a JSON string: numbers and booleans by their text; null is refused.
        private DocScalar? KeyText(DocNode node, Mark at)
        {
            if (node is not DocScalar s)
            {
                Fail(at, "a mapping key must be a scalar");
                return null;
            }
            if (s.IsNull)
            {
                Fail(s.Line, s.Column, "a mapping key must not be null");
                return null;
            }
            return s.Quoted ? s : new DocScalar(s.StringValue ?? s.Value, quoted: true) { Line = s.Line, Column = s.Column };
        }

        // YAML 1.1 merge keys ("<<: *base"): keys written in the mapping win, then earlier merged mappings.
        private void ApplyMerges(DocMapping map, List<(DocNode Value, DocNode At)> merges)
        {
            var present = new HashSet<string>(map.Entries.Select(e => e.Key.Value ?? ""), StringComparer.Ordinal);
            foreach (var (value, at) in merges)
            {
                var sources = value switch
                {
                    DocMapping m => new List<DocNode> { m },
                    DocSequence s => s.Items,
                    _ => null,
                };
                if (sources is null || sources.Any(n => n is not DocMapping))
                {
                    Fail(at.Line, at.Column, "map merge requires map or sequence of maps as the value");
                    return;
                }
                foreach (DocMapping source in sources)
                {
                    foreach (var entry in source.Entries)
                    {
                        if (!present.Add(entry.Key.Value ?? "")) continue;
                        map.Entries.Add(entry);
                        if ((_expanded += 1) > MaxAliasExpansion)
                        {
                            Fail(at.Line, at.Column, $"aliases expand to more than {MaxAliasExpansion} values");
                            return;
                        }
                    }
                }
            }
        }

        private static string ChildPath(Frame frame) => frame.Node switch
        {
            DocSequence s => $"{frame.Path}[{s.Items.Count}]",
            _ when frame.Key is { } k => DecodeContext.Join(frame.Path, k.Value ?? ""),
            _ => frame.Path,
        };
    }
}
