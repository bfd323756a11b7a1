using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Builds a <see cref="DocNode"/> tree from YAML parse events (scalars, collection starts and ends, aliases),
/// whoever produces them: YamlDotNet's parser or <see cref="BlockYamlScanner"/>. Keeping one builder means the
/// two readers cannot disagree about typing, keys, merges, anchors or the limits on nesting and aliases.
/// The first problem stops the build; it is kept here until <see cref="Finish"/>, so a reader that gives up
/// part-way can discard the builder without leaving errors behind.
/// </summary>
internal sealed class YamlTreeBuilder
{
    /// <summary>Deeper nesting than any Calico resource needs; the same limit as stored JSON.</summary>
    public const int MaxDepth = JsonTree.MaxDepth;

    /// <summary>How many values aliases may add to one document once expanded.</summary>
    public const long MaxAliasExpansion = 100_000;

    private sealed class Frame(DocNode node)
    {
        public readonly DocNode Node = node;
        public string? Anchor;
        public long Size = 1;
        public DocScalar? Key;
        public bool KeyIsMerge;
        public List<(DocNode Value, DocNode At)>? Merges;
    }

    // A list rather than a Stack so a failure can name the path from the root down.
    private readonly List<Frame> _stack = new();
    // Most manifests use no anchors, so these are made on first use.
    private Dictionary<string, (DocNode Node, long Size)>? _anchors;
    private HashSet<string>? _openAnchors;
    private long _expanded;
    private DocNode? _root;
    private int _documents;

    public FieldError? Failure { get; private set; }
    public bool Failed => Failure is not null;

    /// <summary>The document's root, or null when it holds nothing or failed; a failure goes to <paramref name="ctx"/>.</summary>
    public DocNode? Finish(DecodeContext ctx)
    {
        if (Failure is { } failure)
        {
            ctx.Errors.Add(failure with { Source = ctx.Source, Document = ctx.Document });
            return null;
        }
        return _root is DocScalar { IsNull: true } ? null : _root;
    }

    public void DocumentStart(int line, int column)
    {
        if (++_documents > 1 && _root is not null)
            Fail(line, column, "a second YAML document without a --- line before it; calicoctl reads only the first");
    }

    public void Fail(int line, int column, string message)
    {
        if (Failed) return;
        Failure = new FieldError { Line = line, Column = column, Field = CurrentPath(), Message = message };
    }

    /// <param name="tag">The explicit tag, expanded; empty for none.</param>
    /// <param name="plain">Whether the scalar was written unquoted.</param>
    public void Scalar(string value, string tag, bool plain, string? anchor, int line, int column)
    {
        if (Failed) return;
        if (_stack.Count > 0 && _stack[^1] is { Node: DocMapping, Key: null } top
            && value == "<<" && (tag == YamlScalars.MergeTag || (tag.Length == 0 && plain)))
        {
            top.Key = new DocScalar("<<", quoted: false) { Line = line, Column = column };
            top.KeyIsMerge = true;
            return;
        }
        var node = YamlScalars.Resolve(value, tag, plain, line, column, out var error);
        if (node is null)
        {
            Fail(line, column, error!);
            return;
        }
        if (anchor is not null) (_anchors ??= new(StringComparer.Ordinal))[anchor] = (node, 1);
        Add(node, 1, line, column);
    }

    public void MappingStart(string? anchor, int line, int column) =>
        Open(new DocMapping { Line = line, Column = column }, anchor, line, column);

    public void SequenceStart(string? anchor, int line, int column) =>
        Open(new DocSequence { Line = line, Column = column }, anchor, line, column);

    private void Open(DocNode node, string? anchor, int line, int column)
    {
        if (Failed) return;
        if (_stack.Count > 0 && _stack[^1] is { Node: DocMapping, Key: null })
        {
            Fail(line, column, "a mapping key must be a scalar");
            return;
        }
        if (_stack.Count >= MaxDepth)
        {
            Fail(line, column, $"values are nested more than {MaxDepth} deep");
            return;
        }
        var frame = new Frame(node);
        if (anchor is not null)
        {
            frame.Anchor = anchor;
            (_openAnchors ??= new(StringComparer.Ordinal)).Add(anchor);
        }
        _stack.Add(frame);
    }

    /// <summary>Ends the innermost mapping or sequence.</summary>
    public void End()
    {
        if (Failed) return;
        var frame = _stack[^1];
        _stack.RemoveAt(_stack.Count - 1);
        if (frame.Merges is not null) ApplyMerges((DocMapping)frame.Node, frame.Merges);
        if (Failed) return;
        if (frame.Anchor is not null)
        {
            _openAnchors!.Remove(frame.Anchor);
            (_anchors ??= new(StringComparer.Ordinal))[frame.Anchor] = (frame.Node, frame.Size);
        }
        Add(frame.Node, frame.Size, 0, 0);
    }

    public void Alias(string name, int line, int column)
    {
        if (Failed) return;
        if (_openAnchors?.Contains(name) == true)
        {
            Fail(line, column, $"anchor '{name}' value contains itself");
            return;
        }
        if (_anchors is null || !_anchors.TryGetValue(name, out var target))
        {
            Fail(line, column, $"unknown anchor '{name}' referenced");
            return;
        }
        _expanded += target.Size;
        if (_expanded > MaxAliasExpansion)
        {
            Fail(line, column, $"aliases expand to more than {MaxAliasExpansion} values");
            return;
        }
        Add(target.Node, target.Size, line, column);
    }

    // line and column locate the event for a key error; a collection ending has none (0).
    private void Add(DocNode node, long size, int line, int column)
    {
        if (_stack.Count == 0)
        {
            _root = node;
            return;
        }
        var top = _stack[^1];
        top.Size += size;
        switch (top.Node)
        {
            case DocSequence seq:
                seq.Items.Add(node);
                break;
            case DocMapping when top.Key is null:
                var key = KeyText(node, line, column);
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
    private DocScalar? KeyText(DocNode node, int line, int column)
    {
        if (node is not DocScalar s)
        {
            Fail(line, column, "a mapping key must be a scalar");
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

    // The path of the value being read, built only when a problem is reported: each open collection adds
    // the key or index it is reading.
    private string CurrentPath()
    {
        var path = "";
        foreach (var frame in _stack)
        {
            path = frame.Node switch
            {
                DocSequence s => $"{path}[{s.Items.Count}]",
                _ when frame.Key is { } k => DecodeContext.Join(path, k.Value ?? ""),
                _ => path,
            };
        }
        return path;
    }
}
