using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Writes a JSON value as YAML the way calicoctl prints it: sigs.k8s.io/yaml (projectcalico/go-yaml-wrapper)
/// re-reads Go's JSON with go-yaml v2 and marshals it, so keys are sorted (<see cref="YamlKeyOrder"/>) and the
/// layout is go-yaml v2.4's emitter: two-space indent, a block list at its key's own indent ("- item"), {} and []
/// for empty values, strings quoted only when they would read back as something else, lines folded after
/// column 80. The indentation state mirrors the emitter's (column, indent stack, whitespace, indention).
/// </summary>
internal sealed partial class YamlEmitter
{
    private const int BestIndent = 2;
    private const int BestWidth = 80;
    private const int MaxSimpleKeyLength = 128;

    private readonly StringBuilder _out = new(1024);
    private readonly Stack<int> _indents = new();
    private int _indent = -1;
    private int _column;
    // Only the empty {} and [] are written in flow style, and they hold no scalars.
    private const int _flowLevel = 0;
    private bool _whitespace = true;
    private bool _indention = true;
    private bool _mappingContext;
    private bool _simpleKeyContext;

    private enum Style { Plain, SingleQuoted, DoubleQuoted, Literal }

    /// <summary>The YAML text of one document, ending in a line break.</summary>
    public static string Write(DocNode root)
    {
        var e = new YamlEmitter();
        e.Node(root, mapping: false, simpleKey: false);
        // Document end: go-yaml ends the last line; nothing else (no "..." since the stream end resets it).
        e.WriteIndent();
        return e._out.ToString();
    }

    private void Node(DocNode node, bool mapping, bool simpleKey)
    {
        _mappingContext = mapping;
        _simpleKeyContext = simpleKey;
        switch (node)
        {
            case DocScalar s: Scalar(s); break;
            case DocSequence { Items.Count: 0 }: EmptyFlow('[', ']'); break;
            case DocSequence seq: BlockSequence(seq); break;
            case DocMapping { Entries.Count: 0 }: EmptyFlow('{', '}'); break;
            case DocMapping map: BlockMapping(map); break;
        }
    }

    // go-yaml writes an empty mapping or list in flow style, on its key's line.
    private void EmptyFlow(char open, char close)
    {
        WriteIndicator(open.ToString(), needWhitespace: true, isWhitespace: true, isIndention: false);
        WriteIndicator(close.ToString(), needWhitespace: false, isWhitespace: false, isIndention: false);
    }

    private void BlockSequence(DocSequence seq)
    {
        // Under a key the dashes stay at the key's indent: go-yaml's "indentless" sequence.
        IncreaseIndent(flow: false, indentless: _mappingContext && !_indention);
        foreach (var item in seq.Items)
        {
            WriteIndent();
            WriteIndicator("-", needWhitespace: true, isWhitespace: false, isIndention: true);
            Node(item, mapping: false, simpleKey: false);
        }
        PopIndent();
    }

    private void BlockMapping(DocMapping map)
    {
        IncreaseIndent(flow: false, indentless: false);
        var entries = new List<KeyValuePair<DocScalar, DocNode>>(map.Entries);
        YamlKeyOrder.Sort(entries, e => e.Key.Value ?? "");
        foreach (var (key, value) in entries)
        {
            WriteIndent();
            if (IsSimpleKey(key.Value ?? ""))
            {
                Node(key, mapping: true, simpleKey: true);
                WriteIndicator(":", needWhitespace: false, isWhitespace: false, isIndention: false);
            }
            else
            {
                WriteIndicator("?", needWhitespace: true, isWhitespace: false, isIndention: true);
                Node(key, mapping: true, simpleKey: false);
                WriteIndent();
                WriteIndicator(":", needWhitespace: true, isWhitespace: false, isIndention: true);
            }
            Node(value, mapping: true, simpleKey: false);
        }
        PopIndent();
    }

    // A key fits on "key: value" when it is one line and at most 128 bytes.
    private static bool IsSimpleKey(string key) =>
        !ScalarAnalysis.Of(key).Multiline && Encoding.UTF8.GetByteCount(key) <= MaxSimpleKeyLength;

    private void Scalar(DocScalar s)
    {
        var (text, requested) = TextAndStyle(s);
        var a = ScalarAnalysis.Of(text);
        var style = requested;
        if (_simpleKeyContext && a.Multiline) style = Style.DoubleQuoted;
        if (style == Style.Plain)
        {
            if ((_flowLevel > 0 && !a.FlowPlainAllowed) || (_flowLevel == 0 && !a.BlockPlainAllowed)) style = Style.SingleQuoted;
            if (text.Length == 0 && (_flowLevel > 0 || _simpleKeyContext)) style = Style.SingleQuoted;
        }
        if (style == Style.SingleQuoted && !a.SingleQuotedAllowed) style = Style.DoubleQuoted;
        if (style == Style.Literal && (!a.BlockAllowed || _flowLevel > 0 || _simpleKeyContext)) style = Style.DoubleQuoted;

        IncreaseIndent(flow: true, indentless: false);
        var allowBreaks = !_simpleKeyContext;
        switch (style)
        {
            case Style.Plain: WritePlain(text, allowBreaks); break;
            case Style.SingleQuoted: WriteSingleQuoted(text, allowBreaks); break;
            case Style.DoubleQuoted: WriteDoubleQuoted(text, allowBreaks); break;
            case Style.Literal: WriteLiteral(text); break;
        }
        PopIndent();
    }

    // What go-yaml asks for before the emitter's own checks: strings plain unless they would read back as
    // another type (then double-quoted) or hold a line feed (literal); numbers, booleans and null plain.
    private static (string Text, Style Style) TextAndStyle(DocScalar s)
    {
        if (s.IsNull) return ("null", Style.Plain);
        var text = s.Value ?? "";
        if (!s.Quoted) return (s.Value is "true" or "false" ? text : NumberText(text), Style.Plain);
        if (text.Contains('\n')) return (text, Style.Literal);
        return (text, YamlScalars.ResolvesToNonString(text) || IsBase60Float(text) ? Style.DoubleQuoted : Style.Plain);
    }

    // go-yaml reads a JSON number as an int when it can, else a float, and writes it back with %d or %g.
    private static string NumberText(string json)
    {
        if (long.TryParse(json, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
            return n.ToString(CultureInfo.InvariantCulture);
        if (ulong.TryParse(json, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
            return u.ToString(CultureInfo.InvariantCulture);
        return GoNumbers.FormatG(double.Parse(json, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    // YAML 1.1 sexagesimal numbers (190:20:30) are quoted for other parsers' sake, though go-yaml reads them as strings.
    private static bool IsBase60Float(string s)
    {
        if (s.Length == 0) return false;
        var c = s[0];
        if (!(c is '+' or '-' || char.IsAsciiDigit(c)) || !s.Contains(':')) return false;
        return Base60().IsMatch(s);
    }

    [GeneratedRegex(@"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?\z")]
    private static partial Regex Base60();

    private void IncreaseIndent(bool flow, bool indentless)
    {
        _indents.Push(_indent);
        if (_indent < 0) _indent = flow ? BestIndent : 0;
        else if (!indentless) _indent += BestIndent;
    }

    private void PopIndent() => _indent = _indents.Pop();

    private void Put(char c)
    {
        _out.Append(c);
        _column++;
    }

    private void PutBreak()
    {
        _out.Append('\n');
        _column = 0;
    }

    // One character of the value (a surrogate pair is one), counted as one column.
    private void Write(string text, ref int i)
    {
        _out.Append(text[i]);
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) _out.Append(text[++i]);
        i++;
        _column++;
    }

    private void WriteBreak(string text, ref int i)
    {
        if (text[i] == '\n')
        {
            PutBreak();
            i++;
        }
        else
        {
            Write(text, ref i);
            _column = 0;
        }
    }

    private void WriteIndent()
    {
        var indent = Math.Max(_indent, 0);
        if (!_indention || _column > indent || (_column == indent && !_whitespace)) PutBreak();
        while (_column < indent) Put(' ');
        _whitespace = true;
        _indention = true;
    }

    private void WriteIndicator(string indicator, bool needWhitespace, bool isWhitespace, bool isIndention)
    {
        if (needWhitespace && !_whitespace) Put(' ');
        foreach (var c in indicator) Put(c);
        _whitespace = isWhitespace;
        _indention = _indention && isIndention;
    }

    private void WritePlain(string value, bool allowBreaks)
    {
        if (!_whitespace) Put(' ');
        WriteFlowText(value, allowBreaks, singleQuoted: false);
        _whitespace = false;
        _indention = false;
    }

    private void WriteSingleQuoted(string value, bool allowBreaks)
    {
        WriteIndicator("'", needWhitespace: true, isWhitespace: false, isIndention: false);
        WriteFlowText(value, allowBreaks, singleQuoted: true);
        WriteIndicator("'", needWhitespace: false, isWhitespace: false, isIndention: false);
        _whitespace = false;
        _indention = false;
    }

    // The text of a plain or single-quoted scalar: past column 80 a single inner space becomes a line break;
    // a line feed is written twice so that it reads back as one. (A plain scalar never starts or ends with a
    // space, so the inner-space test changes nothing for it.)
    private void WriteFlowText(string value, bool allowBreaks, bool singleQuoted)
    {
        bool spaces = false, breaks = false;
        for (var i = 0; i < value.Length;)
        {
            if (value[i] == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i > 0 && i < value.Length - 1 && !IsSpaceAt(value, i + 1))
                {
                    WriteIndent();
                    i++;
                }
                else
                {
                    Write(value, ref i);
                }
                spaces = true;
            }
            else if (ScalarAnalysis.IsBreak(value[i]))
            {
                if (!breaks && value[i] == '\n') PutBreak();
                WriteBreak(value, ref i);
                _indention = true;
                breaks = true;
            }
            else
            {
                if (breaks) WriteIndent();
                if (singleQuoted && value[i] == '\'') Put('\'');
                Write(value, ref i);
                _indention = false;
                spaces = false;
                breaks = false;
            }
        }
    }

    private void WriteDoubleQuoted(string value, bool allowBreaks)
    {
        // go-yaml's BOM test looks at the start of the value, not the current character, so a value that
        // begins with U+FEFF has every character escaped.
        var startsWithBom = value.Length > 0 && value[0] == '\uFEFF';
        var spaces = false;
        WriteIndicator("\"", needWhitespace: true, isWhitespace: false, isIndention: false);
        for (var i = 0; i < value.Length;)
        {
            var cp = ScalarAnalysis.CodePoint(value, i, out var width);
            if (!ScalarAnalysis.IsPrintable(cp) || startsWithBom || ScalarAnalysis.IsBreak(value[i]) || cp is '"' or '\\')
            {
                PutEscape(cp);
                i += width;
                spaces = false;
            }
            else if (cp == ' ')
            {
                if (allowBreaks && !spaces && _column > BestWidth && i > 0 && i < value.Length - 1)
                {
                    WriteIndent();
                    if (IsSpaceAt(value, i + 1)) Put('\\');
                    i++;
                }
                else
                {
                    Write(value, ref i);
                }
                spaces = true;
            }
            else
            {
                Write(value, ref i);
                spaces = false;
            }
        }
        WriteIndicator("\"", needWhitespace: false, isWhitespace: false, isIndention: false);
        _whitespace = false;
        _indention = false;
    }

    private void PutEscape(int cp)
    {
        Put('\\');
        switch (cp)
        {
            case 0x00: Put('0'); return;
            case 0x07: Put('a'); return;
            case 0x08: Put('b'); return;
            case 0x09: Put('t'); return;
            case 0x0A: Put('n'); return;
            case 0x0B: Put('v'); return;
            case 0x0C: Put('f'); return;
            case 0x0D: Put('r'); return;
            case 0x1B: Put('e'); return;
            case 0x22: Put('"'); return;
            case 0x5C: Put('\\'); return;
            case 0x85: Put('N'); return;
            case 0xA0: Put('_'); return;
            case 0x2028: Put('L'); return;
            case 0x2029: Put('P'); return;
        }
        var (letter, width) = cp <= 0xFF ? ('x', 2) : cp <= 0xFFFF ? ('u', 4) : ('U', 8);
        Put(letter);
        foreach (var c in cp.ToString("X" + width, CultureInfo.InvariantCulture)) Put(c);
    }

    private void WriteLiteral(string value)
    {
        WriteIndicator("|", needWhitespace: true, isWhitespace: false, isIndention: false);
        // Block scalar hints: an indentation digit when the text starts with a space or break, then chomping.
        if (value.Length > 0 && (value[0] == ' ' || ScalarAnalysis.IsBreak(value[0])))
            WriteIndicator(BestIndent.ToString(CultureInfo.InvariantCulture), false, false, false);
        var chomp = Chomping(value);
        if (chomp is not null) WriteIndicator(chomp, false, false, false);
        PutBreak();
        _indention = true;
        _whitespace = true;
        var breaks = true;
        for (var i = 0; i < value.Length;)
        {
            if (ScalarAnalysis.IsBreak(value[i]))
            {
                WriteBreak(value, ref i);
                _indention = true;
                breaks = true;
            }
            else
            {
                if (breaks) WriteIndent();
                Write(value, ref i);
                _indention = false;
                breaks = false;
            }
        }
    }

    // "-" strips a text without a final break, "+" keeps two or more, none clips one.
    private static string? Chomping(string value)
    {
        if (value.Length == 0) return "-";
        var last = value.Length - 1;
        if (!ScalarAnalysis.IsBreak(value[last])) return "-";
        if (last == 0) return "+";
        return ScalarAnalysis.IsBreak(value[last - 1]) ? "+" : null;
    }

    private static bool IsSpaceAt(string s, int i) => i < s.Length && s[i] == ' ';
}
