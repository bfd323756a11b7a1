using System.Buffers;
using System.Globalization;
using System.Text;

namespace Calico.Manifests;

/// <summary>
/// Character rules shared by the fast readers (<see cref="BlockYamlScanner"/>, <see cref="JsonFlowScanner"/>):
/// which text they may read at all, and double-quoted escapes as YamlDotNet reads them.
/// </summary>
internal static class FastYamlText
{
    /// <summary>YamlDotNet drops a possible simple key after 1024 characters; the fast readers stay well clear of that rule.</summary>
    public const int MaxKeyLength = 1000;

    // Printable ASCII and LF: all a typical manifest holds, so one vectorised search clears most text.
    private static readonly SearchValues<char> Ascii = SearchValues.Create("\n !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>
    /// No tabs, no line breaks but LF and CRLF (or a CR at the very end), no byte-order marks, nothing the
    /// control-character check refuses: text whose every character the fast readers understand as YamlDotNet does.
    /// </summary>
    public static bool HasOnlyPlainCharacters(ReadOnlySpan<char> text)
    {
        var i = text.IndexOfAnyExcept(Ascii);
        while (i >= 0)
        {
            var c = text[i];
            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] != '\n') return false;
            }
            else if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (c < '\u00A0' || c is '\u2028' or '\u2029' or '\uFEFF' or '\uFFFE' or '\uFFFF' || char.IsSurrogate(c))
            {
                return false;
            }
            var rest = text[(i + 1)..].IndexOfAnyExcept(Ascii);
            i = rest < 0 ? -1 : i + 1 + rest;
        }
        return true;
    }

    /// <summary>
    /// The double-quoted scalar whose opening quote is at <paramref name="open"/>, unescaped, when it closes before
    /// <paramref name="end"/> and before any line break; <paramref name="close"/> is where its closing quote is.
    /// </summary>
    public static bool TryReadDoubleQuoted(string text, int open, int end, RecentStrings strings, out string value, out int close)
    {
        value = "";
        StringBuilder? unescaped = null;
        var i = open + 1;
        var run = i;
        while (true)
        {
            // A quoted scalar that goes on past its line is folded; leave that to YamlDotNet.
            if (i >= end || text[i] is '\n' or '\r')
            {
                close = i;
                return false;
            }
            var c = text[i];
            if (c == '"') break;
            if (c == '\\')
            {
                (unescaped ??= new()).Append(text, run, i - run);
                if (!TryUnescape(text, ref i, end, unescaped))
                {
                    close = i;
                    return false;
                }
                run = i;
                continue;
            }
            i++;
        }
        value = unescaped is null ? strings.Get(text, run, i - run) : unescaped.Append(text, run, i - run).ToString();
        close = i;
        return true;
    }

    /// <summary>
    /// The escape at <paramref name="i"/> (a backslash) in a double-quoted scalar, as YamlDotNet reads it, appended
    /// to <paramref name="to"/>; <paramref name="i"/> moves past it. False for any escape YamlDotNet refuses, for a
    /// line continuation (a backslash at <paramref name="end"/>), and for surrogates, which YamlDotNet pairs up in
    /// its own way.
    /// </summary>
    private static bool TryUnescape(string text, ref int i, int end, StringBuilder to)
    {
        if (i + 1 >= end) return false;
        var e = text[i + 1];
        var digits = e switch { 'x' => 2, 'u' => 4, 'U' => 8, _ => 0 };
        if (digits == 0)
        {
            char? simple = e switch
            {
                '0' => '\0', 'a' => '\a', 'b' => '\b', 't' => '\t', 'n' => '\n', 'v' => '\v', 'f' => '\f', 'r' => '\r',
                'e' => '\x1B', ' ' => ' ', '"' => '"', '\\' => '\\', '/' => '/', 'N' => '\x85', '_' => '\xA0',
                'L' => '\u2028', 'P' => '\u2029',
                _ => null,
            };
            if (simple is not { } s) return false;
            to.Append(s);
            i += 2;
            return true;
        }
        if (i + 2 + digits > end
            || !int.TryParse(text.AsSpan(i + 2, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
            || code is < 0 or > 0x10FFFF or (>= 0xD800 and <= 0xDFFF))
            return false;
        to.Append(char.ConvertFromUtf32(code));
        i += 2 + digits;
        return true;
    }
}
