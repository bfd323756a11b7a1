namespace Calico.Manifests;

/// <summary>
/// A fast reader for a document that is one JSON object or array, as `calicoctl get -o json` prints. calicoctl
/// reads JSON as YAML, so this sends a <see cref="YamlTreeBuilder"/> the events YamlDotNet sends for the same flow
/// collections: double-quoted strings, plain numbers and words, with YamlDotNet's lines and columns. It declines
/// anything it is unsure of — comments, tabs, single quotes, unquoted keys, trailing commas, a key whose ":" is on
/// another line, surrogate escapes, text after the value — and YamlDotNet then reads the document from the start.
/// </summary>
internal sealed class JsonFlowScanner
{
    private readonly string _text;
    private readonly int _end;
    private readonly YamlTreeBuilder _builder;
    private readonly RecentStrings _strings = RecentStrings.ForThisThread;
    private int _pos;
    private int _line;
    private int _lineStart;
    private int _depth;

    private JsonFlowScanner(string text, int start, int end, int firstLine, YamlTreeBuilder builder)
    {
        _text = text;
        _end = end;
        _builder = builder;
        _pos = start;
        _lineStart = start;
        _line = firstLine;
    }

    /// <summary>
    /// Reads <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>] into <paramref name="builder"/>
    /// when it is JSON this reader understands; false when not, and the builder must then be discarded.
    /// </summary>
    public static bool TryRead(string text, int start, int end, int firstLine, YamlTreeBuilder builder)
    {
        if (!FastYamlText.HasOnlyPlainCharacters(text.AsSpan(start, end - start))) return false;
        var scanner = new JsonFlowScanner(text, start, end, firstLine, builder);
        scanner.SkipSpace();
        if (scanner.Peek() is not ('{' or '[') || !scanner.ReadValue()) return false;
        scanner.SkipSpace();
        return scanner._pos == end;
    }

    private char Peek() => _pos < _end ? _text[_pos] : '\0';

    private int Column => _pos - _lineStart + 1;

    // Spaces and line breaks; the character check allows a CR only before a LF or at the end.
    private void SkipSpace()
    {
        for (; _pos < _end; _pos++)
        {
            var c = _text[_pos];
            if (c == '\n')
            {
                _line++;
                _lineStart = _pos + 1;
            }
            else if (c is not (' ' or '\r'))
            {
                return;
            }
        }
    }

    private bool ReadValue() => Peek() switch
    {
        '{' => ReadCollection(mapping: true),
        '[' => ReadCollection(mapping: false),
        '"' => ReadString(),
        _ => ReadWord(),
    };

    // An object or an array, from its opening bracket to its closing one.
    private bool ReadCollection(bool mapping)
    {
        if (++_depth > YamlTreeBuilder.MaxDepth) return false;
        if (mapping) _builder.MappingStart(null, _line, Column);
        else _builder.SequenceStart(null, _line, Column);
        var close = mapping ? '}' : ']';
        _pos++;
        SkipSpace();
        if (Peek() != close)
        {
            while (true)
            {
                if (mapping && !ReadKey()) return false;
                if (!ReadValue()) return false;
                SkipSpace();
                if (Peek() != ',') break;
                _pos++;
                SkipSpace();
            }
            if (Peek() != close) return false;
        }
        _pos++;
        _builder.End();
        _depth--;
        return true;
    }

    // A string and its ":", and the space after that.
    private bool ReadKey()
    {
        var keyStart = _pos;
        if (Peek() != '"' || !ReadString()) return false;
        // YamlDotNet takes a key only when its ":" follows on the same line, close enough.
        while (Peek() == ' ') _pos++;
        if (Peek() != ':' || _pos - keyStart > FastYamlText.MaxKeyLength) return false;
        _pos++;
        SkipSpace();
        return true;
    }

    // A double-quoted string on one line.
    private bool ReadString()
    {
        if (!FastYamlText.TryReadDoubleQuoted(_text, _pos, _end, _strings, out var value, out var close)) return false;
        _builder.Scalar(value, "", plain: false, null, _line, Column);
        _pos = close + 1;
        return true;
    }

    // A number, true, false or null, or another word YAML reads as a plain scalar: letters, digits and + - . _,
    // ended by a space, a line break, a comma or a closing bracket.
    private bool ReadWord()
    {
        var start = _pos;
        var first = Peek();
        if (!IsWordCharacter(first)) return false;
        // "-", "+" and "." alone, or before a bracket or comma, mean something else to YamlDotNet.
        if (first is '-' or '+' or '.' && !(start + 1 < _end && IsWordCharacter(_text[start + 1]))) return false;
        while (_pos < _end && IsWordCharacter(_text[_pos])) _pos++;
        if (Peek() is not (' ' or '\n' or '\r' or ',' or ']' or '}' or '\0')) return false;
        _builder.Scalar(_strings.Get(_text, start, _pos - start), "", plain: true, null, _line, start - _lineStart + 1);
        return true;
    }

    private static bool IsWordCharacter(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or '_';
}
