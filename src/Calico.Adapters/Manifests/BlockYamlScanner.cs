using System.Text;

namespace Calico.Manifests;

/// <summary>
/// A fast reader for the block YAML that manifests are written in: block mappings and sequences ("- key:" items
/// and lists at their key's indentation included), plain and quoted scalars on one line, empty "{}" and "[]",
/// comments, blank lines, CRLF line ends and a leading "---". It sends a <see cref="YamlTreeBuilder"/> the events YamlDotNet would send,
/// with the same lines, columns and scalar styles. It declines everything else — other flow collections, anchors,
/// aliases, tags, block scalars, scalars over several lines, tabs, directives, "..." and any indentation or
/// character it is unsure of — and YamlDotNet then reads the document from the start. So it never has to
/// diagnose bad YAML, only to recognise good YAML exactly; FastReaderDifferentialTests hold it to that.
/// </summary>
internal sealed class BlockYamlScanner
{
    private readonly string _text;
    private readonly int _end;
    private readonly YamlTreeBuilder _builder;
    private readonly RecentStrings _strings = RecentStrings.ForThisThread;
    private int _depth;

    // The current line holding content: its 1-based number, where it starts, how many spaces indent it, where
    // its text ends (before "\r\n" or "\n"), and where the line after it starts.
    private int _line;
    private int _lineStart;
    private int _indent;
    private int _lineEnd;
    private int _next;
    private bool _atEnd;

    private BlockYamlScanner(string text, int end, YamlTreeBuilder builder)
    {
        _text = text;
        _end = end;
        _builder = builder;
    }

    /// <summary>
    /// Reads <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>] into <paramref name="builder"/>
    /// when it is within the subset; false when it is not, and the builder must then be discarded.
    /// </summary>
    public static bool TryRead(string text, int start, int end, int firstLine, YamlTreeBuilder builder)
    {
        if (!FastYamlText.HasOnlyPlainCharacters(text.AsSpan(start, end - start))) return false;
        return new BlockYamlScanner(text, end, builder).ReadDocument(start, firstLine);
    }

    private bool ReadDocument(int start, int firstLine)
    {
        _next = start;
        _line = firstLine - 1;
        if (_end - start >= 3 && string.CompareOrdinal(_text, start, "---", 0, 3) == 0)
        {
            // An explicit document start, alone on its line but for a comment.
            var nl = _text.IndexOf('\n', start, _end - start);
            var lineEnd = TrimCr(start, nl < 0 ? _end : nl);
            var after = SkipSpaces(start + 3, lineEnd);
            if (after < lineEnd && (after == start + 3 || _text[after] != '#')) return false;
            _builder.DocumentStart(firstLine, 1);
            _next = nl < 0 ? _end : nl + 1;
            _line = firstLine;
        }
        Advance();
        if (_atEnd) return true;
        return ReadBlock() && _atEnd;
    }

    // Moves to the next line that holds more than blanks or a comment; _atEnd when there is none.
    private void Advance()
    {
        var pos = _next;
        var line = _line;
        while (pos < _end)
        {
            line++;
            var nl = _text.IndexOf('\n', pos, _end - pos);
            var next = nl < 0 ? _end : nl + 1;
            var lineEnd = TrimCr(pos, nl < 0 ? _end : nl);
            var content = SkipSpaces(pos, lineEnd);
            if (content < lineEnd && _text[content] != '#')
            {
                (_line, _lineStart, _indent, _lineEnd, _next) = (line, pos, content - pos, lineEnd, next);
                return;
            }
            pos = next;
        }
        _atEnd = true;
    }

    private int TrimCr(int lineStart, int lineEnd) => lineEnd > lineStart && _text[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;

    private int SkipSpaces(int i, int end)
    {
        while (i < end && _text[i] == ' ') i++;
        return i;
    }

    // "-" followed by a space or the end of the line starts a sequence entry.
    private bool IsEntry(int at) => _text[at] == '-' && (at + 1 == _lineEnd || _text[at + 1] == ' ');

    private int Column(int at) => at - _lineStart + 1;

    // A mapping or sequence that starts with the current line's content.
    private bool ReadBlock()
    {
        var at = _lineStart + _indent;
        return IsEntry(at) ? ReadSequence(at, indentless: false) : ReadMapping(at);
    }

    // A block mapping whose first key is at 'at' on the current line; later keys line up under it.
    private bool ReadMapping(int at)
    {
        if (++_depth > YamlTreeBuilder.MaxDepth) return false;
        var indent = at - _lineStart;
        var started = false;
        while (true)
        {
            if (!ScanScalar(at, out var key) || key.Colon < 0 || key.Colon - at > FastYamlText.MaxKeyLength) return false;
            if (!started)
            {
                _builder.MappingStart(null, _line, indent + 1);
                started = true;
            }
            _builder.Scalar(key.Value, "", key.Plain, null, _line, Column(at));
            if (!ReadValue(key.Colon + 1, indent, mappingValue: true)) return false;
            if (_atEnd || _indent < indent) break;
            // A deeper line would continue the last value or be an error. (So is an entry here; ScanScalar refuses it.)
            if (_indent > indent) return false;
            at = _lineStart + _indent;
        }
        _builder.End();
        _depth--;
        return true;
    }

    // A block sequence whose first entry's "-" is at 'at'. An indentless one (a mapping value whose entries
    // line up with the mapping's keys) ends at the next key; any other ends only where the indentation drops.
    private bool ReadSequence(int at, bool indentless)
    {
        if (++_depth > YamlTreeBuilder.MaxDepth) return false;
        var indent = at - _lineStart;
        _builder.SequenceStart(null, _line, indent + 1);
        while (true)
        {
            if (!ReadValue(at + 1, indent, mappingValue: false)) return false;
            if (_atEnd || _indent < indent) break;
            // A deeper line would continue the last entry or be an error.
            if (_indent > indent) return false;
            at = _lineStart + _indent;
            if (!IsEntry(at))
            {
                if (indentless) break;
                return false;
            }
        }
        _builder.End();
        _depth--;
        return true;
    }

    /// <summary>
    /// The value after a ":" or "-" that ends at <paramref name="from"/>: on the same line, on the lines below
    /// (indented past <paramref name="blockIndent"/>, the indentation of the collection it belongs to), or empty.
    /// Leaves the current line at the first line after the value.
    /// </summary>
    private bool ReadValue(int from, int blockIndent, bool mappingValue)
    {
        var (line, column) = (_line, Column(from));
        var at = SkipSpaces(from, _lineEnd);
        if (at == _lineEnd || _text[at] == '#')
        {
            Advance();
            if (!_atEnd && _indent > blockIndent) return ReadBlock();
            if (mappingValue && !_atEnd && _indent == blockIndent && IsEntry(_lineStart + _indent))
                return ReadSequence(_lineStart + _indent, indentless: true);
            // YamlDotNet places an empty value just after its indicator.
            _builder.Scalar("", "", true, null, line, column);
            return true;
        }
        if (IsEmptyFlowCollection(at)) return ReadEmptyFlowCollection(at);
        // "key: - a" is an error and "- - a" rare; leave both to YamlDotNet.
        if (IsEntry(at) || !ScanScalar(at, out var scalar)) return false;
        if (scalar.Colon >= 0)
        {
            // "- key: value" starts a mapping inside the entry; "key: a: b" is an error.
            return !mappingValue && ReadMapping(at);
        }
        _builder.Scalar(scalar.Value, "", scalar.Plain, null, _line, Column(at));
        Advance();
        return true;
    }

    // "{}" or "[]" and then only blanks or a comment: how calicoctl writes an empty struct or list.
    private bool IsEmptyFlowCollection(int at) =>
        at + 1 < _lineEnd && (_text[at], _text[at + 1]) is ('{', '}') or ('[', ']')
        && (at + 2 == _lineEnd || (_text[at + 2] == ' ' && SkipSpaces(at + 2, _lineEnd) is var rest && (rest == _lineEnd || _text[rest] == '#')));

    private bool ReadEmptyFlowCollection(int at)
    {
        if (_text[at] == '{') _builder.MappingStart(null, _line, Column(at));
        else _builder.SequenceStart(null, _line, Column(at));
        _builder.End();
        Advance();
        return true;
    }

    /// <param name="Value">The scalar's text, unescaped.</param>
    /// <param name="Plain">Whether it was written without quotes.</param>
    /// <param name="Colon">Where the ":" that makes it a key is; -1 when it is followed only by blanks or a comment.</param>
    private readonly record struct Token(string Value, bool Plain, int Colon);

    // A scalar that starts at 'at' and ends on this line, with what follows it.
    private bool ScanScalar(int at, out Token token)
    {
        var c = _text[at];
        if (c is '\'' or '"') return ScanQuoted(at, c, out token);
        token = default;
        var next = at + 1 < _lineEnd ? _text[at + 1] : ' ';
        var indicator = c is '-' or '?' or ':' or ',' or '[' or ']' or '{' or '}' or '#' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`';
        // "-x", "?x" and ":x" are plain scalars; the other indicators never start one.
        if (indicator && !(c is '-' or '?' or ':' && next != ' ')) return false;
        // "---" and "..." at the start of a line may be document markers.
        if (at == _lineStart && _lineEnd - at >= 3 && (string.CompareOrdinal(_text, at, "---", 0, 3) == 0 || string.CompareOrdinal(_text, at, "...", 0, 3) == 0))
            return false;

        var i = at;
        while (true)
        {
            for (; i < _lineEnd && _text[i] != ' '; i++)
            {
                if (_text[i] == ':' && (i + 1 == _lineEnd || _text[i + 1] == ' '))
                {
                    var end = i;
                    while (_text[end - 1] == ' ') end--;
                    token = new Token(_strings.Get(_text, at, end - at), true, i);
                    return true;
                }
            }
            var runEnd = i;
            i = SkipSpaces(i, _lineEnd);
            // Spaces then "#" start a comment.
            if (i == _lineEnd || _text[i] == '#')
            {
                token = new Token(_strings.Get(_text, at, runEnd - at), true, -1);
                return true;
            }
        }
    }

    private bool ScanQuoted(int at, char quote, out Token token)
    {
        token = default;
        string value;
        int close;
        if (quote == '"')
        {
            if (!FastYamlText.TryReadDoubleQuoted(_text, at, _lineEnd, _strings, out value, out close)) return false;
        }
        else if (!ScanSingleQuoted(at, out value, out close))
        {
            return false;
        }
        // YamlDotNet fails on a "#" right after a closing double quote and reads one after a single quote as a comment.
        if (close + 1 < _lineEnd && _text[close + 1] == '#') return false;
        var after = SkipSpaces(close + 1, _lineEnd);
        if (after == _lineEnd || _text[after] == '#')
        {
            token = new Token(value, false, -1);
            return true;
        }
        if (_text[after] == ':' && (after + 1 == _lineEnd || _text[after + 1] == ' '))
        {
            token = new Token(value, false, after);
            return true;
        }
        return false;
    }

    // A single-quoted scalar on one line, where '' stands for a quote; 'close' is where its closing quote is.
    private bool ScanSingleQuoted(int at, out string value, out int close)
    {
        value = "";
        StringBuilder? unescaped = null;
        var i = at + 1;
        close = i;
        var run = i;
        while (true)
        {
            // A quoted scalar that goes on past its line is folded; leave that to YamlDotNet.
            if (i >= _lineEnd) return false;
            if (_text[i] == '\'')
            {
                if (i + 1 == _lineEnd || _text[i + 1] != '\'') break;
                (unescaped ??= new()).Append(_text, run, i + 1 - run);
                i += 2;
                run = i;
                continue;
            }
            i++;
        }
        value = unescaped is null ? _strings.Get(_text, run, i - run) : unescaped.Append(_text, run, i - run).ToString();
        close = i;
        return true;
    }
}
