namespace Calico.Manifests;

/// <summary>
/// What go-yaml v2's emitter learns about a scalar before choosing how to write it (emitterc.go
/// yaml_emitter_analyze_scalar): which styles can hold it without changing its meaning.
/// </summary>
internal readonly record struct ScalarAnalysis(bool Multiline, bool FlowPlainAllowed, bool BlockPlainAllowed, bool SingleQuotedAllowed, bool BlockAllowed)
{
    public static ScalarAnalysis Of(string value)
    {
        if (value.Length == 0) return new(false, false, true, true, false);

        bool blockIndicators = false, flowIndicators = false, lineBreaks = false, special = false;
        bool leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
        bool breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;

        if (value.StartsWith("---", StringComparison.Ordinal) || value.StartsWith("...", StringComparison.Ordinal))
        {
            blockIndicators = true;
            flowIndicators = true;
        }
        var precededByWhitespace = true;
        for (var i = 0; i < value.Length;)
        {
            var cp = CodePoint(value, i, out var width);
            var next = i + width;
            var followedByWhitespace = next >= value.Length || value[next] is ' ' or '\t';
            if (i == 0)
            {
                switch (cp)
                {
                    case '#' or ',' or '[' or ']' or '{' or '}' or '&' or '*' or '!' or '|' or '>' or '\'' or '"' or '%' or '@' or '`':
                        flowIndicators = true;
                        blockIndicators = true;
                        break;
                    case '?' or ':':
                        flowIndicators = true;
                        if (followedByWhitespace) blockIndicators = true;
                        break;
                    case '-' when followedByWhitespace:
                        flowIndicators = true;
                        blockIndicators = true;
                        break;
                }
            }
            else
            {
                switch (cp)
                {
                    case ',' or '?' or '[' or ']' or '{' or '}':
                        flowIndicators = true;
                        break;
                    case ':':
                        flowIndicators = true;
                        if (followedByWhitespace) blockIndicators = true;
                        break;
                    case '#' when precededByWhitespace:
                        flowIndicators = true;
                        blockIndicators = true;
                        break;
                }
            }
            if (!IsPrintable(cp)) special = true;
            if (cp == ' ')
            {
                if (i == 0) leadingSpace = true;
                if (next == value.Length) trailingSpace = true;
                if (previousBreak) breakSpace = true;
                previousSpace = true;
                previousBreak = false;
            }
            else if (IsBreak(value[i]))
            {
                lineBreaks = true;
                if (i == 0) leadingBreak = true;
                if (next == value.Length) trailingBreak = true;
                if (previousSpace) spaceBreak = true;
                previousSpace = false;
                previousBreak = true;
            }
            else
            {
                previousSpace = false;
                previousBreak = false;
            }
            precededByWhitespace = cp is ' ' or '\t' or 0 || IsBreak(value[i]);
            i = next;
        }

        bool flowPlain = true, blockPlain = true, single = true, block = true;
        if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) flowPlain = blockPlain = false;
        if (trailingSpace) block = false;
        if (breakSpace) flowPlain = blockPlain = single = false;
        if (spaceBreak || special) flowPlain = blockPlain = single = block = false;
        if (lineBreaks) flowPlain = blockPlain = false;
        if (flowIndicators) flowPlain = false;
        if (blockIndicators) blockPlain = false;
        return new(lineBreaks, flowPlain, blockPlain, single, block);
    }

    /// <summary>CR, LF, NEL, LS and PS.</summary>
    public static bool IsBreak(char c) => c is '\r' or '\n' or '\u0085' or '\u2028' or '\u2029';

    /// <summary>
    /// go-yaml's is_printable: LF, printable ASCII and the BMP from U+00A0 except surrogates, U+FEFF, U+FFFE and
    /// U+FFFF. Tabs, C1 controls and characters beyond the BMP are not, so they are written escaped.
    /// </summary>
    public static bool IsPrintable(int cp) =>
        cp == 0x0A || cp is >= 0x20 and <= 0x7E || cp is >= 0xA0 and <= 0xD7FF || (cp is >= 0xE000 and <= 0xFFFD && cp != 0xFEFF);

    /// <summary>The code point at <paramref name="i"/> (U+FFFD for a lone surrogate) and its length in UTF-16 units.</summary>
    public static int CodePoint(string s, int i, out int width)
    {
        if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
        {
            width = 2;
            return char.ConvertToUtf32(s[i], s[i + 1]);
        }
        width = 1;
        return char.IsSurrogate(s[i]) ? 0xFFFD : s[i];
    }
}
