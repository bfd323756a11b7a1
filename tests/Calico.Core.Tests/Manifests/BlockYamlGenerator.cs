using System.Text;

namespace Calico.Tests.Manifests;

/// <summary>
/// Random block YAML shaped like manifests — nested mappings and sequences, "- key:" items, indentless lists,
/// empty values, comments, blank lines, CRLF, a leading "---" — with scalars drawn from the awkward corners of
/// YAML: quoting and escapes, indicators, numbers and booleans by YAML 1.1 rules, keys that are not strings,
/// and some text the fast reader must decline (flow collections, anchors, tags, block scalars, continuations).
/// </summary>
internal static class BlockYamlGenerator
{
    private static readonly string[] Keys =
    [
        "apiVersion", "kind", "metadata", "name", "spec", "cidr", "ipipMode", "natOutgoing", "items", "labels", "a", "b",
        "with space", "a:b", "a#b", "-x", "?x", ":x", "'quoted'", "\"double\"", "'it''s'", "\"esc\\tkey\"", "<<", "~", "null",
        "1", "0x1F", "true", "yes", "1.5", ".nan", "é", "😀", "k ", "k  ", "x.y/z", "--", "a-", "k,", "\"\"", "''",
    ];

    // Keys the fast reader declines or YamlDotNet refuses.
    private static readonly string[] OddKeys = ["@k", "`k", "%k", "!k", "&k", "*k", "|k", ">k", "[k]", "{k}", "'unterminated", "\"bad\\q\"", "", "- k", "? k", "k\tk"];

    // Values within the fast reader's subset, whatever they resolve to.
    private static readonly string[] Values =
    [
        "v1", "projectcalico.org/v3", "IPPool", "10.0.0.0/16", "fe80::/10", "all()", "has(a) && b in {'x', 'y'}", "a, b",
        "a [b]", "x{y}", "yes", "No", "on", "0x1A", "0o17", "017", "1e3", "1_000", "-1", "+1", "99999999999999999999",
        "1.5", ".5", "1e999", ".nan", ".inf", "-.Inf", "~", "null", "2001-12-14", "2001-12-14t21:59:43.10-05:00", "é",
        "😀 smile", "a  b", "http://x:80/y", "a #b", "a#b", "a:b", "---", "...", "--", "-x", "?x", ":x", "'it''s'", "''",
        "'a # b'", "'a: b'", "'x' # c", "\"\\n\\t\\u00e9\\x41\\U0001F600\\/\\\\\"", "\"a\\\"b\"", "\"x\"  ",
        "\"\\N\\_\\L\\P\\e\\0\\ \"", "\"a: b\"", "'\"'", "\"'\"", "\"\"", "trailing  ", "<<", "a\\b",
        "{}", "[]", "{} # c", "[]  ",
    ];

    // Values the fast reader declines or YamlDotNet refuses.
    private static readonly string[] OddValues =
    [
        "a: b", "a:", "-", "x:", "!tag x", "!!str 1", "!!int 1", "&a x", "*a", "|", ">", "%x", "@x", "`x", "[1, 2]", "{a: 1}",
        "'x'y", "\"\\q\"", "\"\\ud800\"", "\"\\uD83D\\uDE00\"", "\"#\"#", "'#'#", "\"\\x4\"", "\"\\U00110000\"",
        "'unterminated", "\"unterminated", "'a'  :", "\"x\"y", "- x", "? x", ": x", "a\tb", "{}x", "[]#", "{ }", "[]: x", "{}}",
    ];

    private static readonly string[] Comments = ["# comment", "#", "#: not a key", "# - not an entry", "#\"'"];

    public static string Generate(Random random)
    {
        var g = new Writer(random);
        if (random.Next(5) == 0) g.Line(0, random.Next(3) == 0 ? "---  # start" : "---");
        var indent = random.Next(6) == 0 ? random.Next(1, 3) : 0;
        if (random.Next(6) == 0) g.Sequence(indent, 0);
        else g.Mapping(indent, 0, firstOnLine: null);
        return g.ToString();
    }

    private sealed class Writer(Random random)
    {
        private readonly StringBuilder _sb = new();
        private readonly string _newline = random.Next(4) == 0 ? "\r\n" : "\n";

        public override string ToString()
        {
            // Sometimes no line break at the end, sometimes a stray line.
            var text = _sb.ToString();
            return random.Next(8) switch
            {
                0 => text.TrimEnd('\n', '\r'),
                1 => text + new string(' ', random.Next(4)) + Pick(Values) + _newline,
                _ => text,
            };
        }

        public void Line(int indent, string content)
        {
            _sb.Append(' ', indent).Append(content);
            if (random.Next(10) == 0) _sb.Append(' ', random.Next(1, 3));
            _sb.Append(_newline);
            Noise(indent);
        }

        // Blank and comment lines at any indentation.
        private void Noise(int indent)
        {
            switch (random.Next(12))
            {
                case 0: _sb.Append(_newline); break;
                case 1: _sb.Append(' ', random.Next(indent + 4)).Append(Pick(Comments)).Append(_newline); break;
                case 2: _sb.Append(' ', random.Next(3)).Append(_newline); break;
            }
        }

        private string Step() => new(' ', random.Next(10) == 0 ? random.Next(1, 5) : 2);

        private string Pick(string[] from) => from[random.Next(from.Length)];

        private string Scalar() => random.Next(60) switch
        {
            0 => new string('v', random.Next(900, 1100)),
            1 => Pick(OddValues),
            _ => Pick(Values),
        };

        private string Key() => random.Next(100) switch
        {
            0 => new string('k', random.Next(990, 1010)),
            1 => Pick(OddKeys),
            < 30 => Pick(Keys),
            _ => Pick(Keys[..12]),
        };

        private string Trailer() => random.Next(6) == 0 ? "  " + Pick(Comments) : "";

        /// <param name="firstOnLine">The text before the first key when it shares a line with a "- ".</param>
        public void Mapping(int indent, int depth, string? firstOnLine)
        {
            var entries = random.Next(1, 4);
            for (var i = 0; i < entries; i++)
            {
                var prefix = i == 0 && firstOnLine is not null ? firstOnLine : new string(' ', indent);
                var key = Key() + (random.Next(12) == 0 ? " " : "") + ":";
                Value(prefix + key, indent, depth, mappingValue: true);
            }
        }

        public void Sequence(int indent, int depth)
        {
            var entries = random.Next(1, 4);
            for (var i = 0; i < entries; i++) Value(new string(' ', indent) + "-", indent, depth, mappingValue: false);
        }

        // Writes the line that ends with an indicator ("key:" or "-"), its value, and what nests below it.
        private void Value(string head, int indent, int depth, bool mappingValue)
        {
            var choice = depth > 3 ? random.Next(3) : random.Next(8);
            switch (choice)
            {
                case 0 or 1:
                    _sb.Append(head).Append(' ', random.Next(1, 3));
                    Line(0, Scalar() + Trailer());
                    break;
                case 2:
                    Line(0, head + Trailer());
                    break;
                case 3 or 4:
                    Line(0, head + Trailer());
                    Mapping(indent + Step().Length, depth + 1, null);
                    break;
                case 5:
                    Line(0, head + Trailer());
                    // A mapping's list may line up with its keys.
                    Sequence(mappingValue && random.Next(2) == 0 ? indent : indent + Step().Length, depth + 1);
                    break;
                default:
                    if (mappingValue)
                    {
                        _sb.Append(head).Append(' ');
                        Line(0, Scalar());
                    }
                    else
                    {
                        // "- key: value" with the mapping's other keys under the first.
                        var gap = random.Next(10) == 0 ? "   " : " ";
                        Mapping(indent + 1 + gap.Length, depth + 1, head + gap);
                    }
                    break;
            }
        }
    }
}
