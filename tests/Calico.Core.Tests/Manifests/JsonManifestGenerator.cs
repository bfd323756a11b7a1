using System.Text;

namespace Calico.Tests.Manifests;

/// <summary>
/// Random JSON shaped like `calicoctl get -o json` output — compact, pretty-printed or oddly spaced, LF or CRLF —
/// with strings, escapes, numbers and words YAML reads its own way, and now and then something that is JSON only
/// to YAML's eyes or not at all (comments, single quotes, bare keys, trailing commas, a key's colon on the next line).
/// </summary>
internal static class JsonManifestGenerator
{
    private static readonly string[] Keys =
    [
        "apiVersion", "kind", "metadata", "name", "spec", "cidr", "ipipMode", "natOutgoing", "items", "labels", "", "a b",
        "<<", "~", "null", "1", "yes", "a:b", "#", "é", "\\u00e9", "\\\"q\\\"", "\\\\", "\\/", "\\n", "\\x41",
    ];

    private static readonly string[] Strings =
    [
        "v1", "projectcalico.org/v3", "IPPool", "10.0.0.0/16", "all()", "", " ", "a  b", "yes", "0x1A", "1e3", "~", "null",
        "é", "😀", "\\u00e9", "\\u0041\\u00DF", "\\\"", "\\\\", "\\/", "\\b\\f\\n\\r\\t", "\\x41", "\\e\\N\\_", "#", " # ", ": ",
        "{[,]}", "'", "it's", "\\U0001F600",
    ];

    private static readonly string[] Words =
    [
        "0", "-1", "1.5", "-0.0", "1e3", "1E+2", "2.5e-3", "true", "false", "null", "26", "99999999999999999999", "1_000",
        "0x1A", "0o17", "017", ".5", "-.5", "+1", "yes", "No", "on", "y", "NaN", "Infinity", "abc", ".nan", "-.inf",
    ];

    // Text a JSON reader refuses or YAML reads otherwise; the fast reader must decline or agree with YamlDotNet.
    private static readonly string[] Odd =
    [
        "'single'", "bare", "# comment\n", "\"\\q\"", "\"\\uD83D\\uDE00\"", "\"\\ud800\"", "-", ".", "+", "a b", ":", "[1,]", "{,}",
        "\"x\"#", "\"line\nbreak\"", "\"\\\nx\"", "\t", "~", "*a", "&a 1", "!!str 1", "|", "? x", "@", "`", "1:2", "-[", "1 2",
        "\"" + new string('k', 1010) + "\"", "\"" + new string('v', 1100) + "\"",
    ];

    public static string Generate(Random random)
    {
        var style = random.Next(3);
        var g = new Writer(random, style, random.Next(4) == 0 ? "\r\n" : "\n");
        g.Before();
        if (random.Next(5) == 0) g.Array(0, 0);
        else g.Object(0, 0);
        g.After();
        return g.ToString();
    }

    private sealed class Writer(Random random, int style, string newline)
    {
        private readonly StringBuilder _sb = new();

        public override string ToString() => _sb.ToString();

        private string Pick(string[] from) => from[random.Next(from.Length)];

        public void Before()
        {
            if (random.Next(6) == 0) _sb.Append(' ', random.Next(3)).Append(newline);
        }

        public void After()
        {
            switch (random.Next(10))
            {
                case 0: _sb.Append(newline); break;
                case 1: _sb.Append(' ').Append(newline).Append(newline); break;
                case 2: _sb.Append(newline).Append(Pick(Words)); break;
            }
        }

        // Between tokens: nothing, a space, or a line break and indentation, as the style has it.
        private void Gap(int indent)
        {
            if (random.Next(60) == 0)
            {
                _sb.Append(Pick(Odd));
                return;
            }
            switch (style)
            {
                case 0:
                    break;
                case 1:
                    _sb.Append(newline).Append(' ', indent * 2);
                    break;
                default:
                    var r = random.Next(6);
                    if (r == 0) _sb.Append(newline).Append(' ', random.Next(4));
                    else if (r == 1) _sb.Append(' ', random.Next(1, 3));
                    break;
            }
        }

        private void Key(int indent)
        {
            if (random.Next(50) == 0) _sb.Append(Pick(Odd));
            else _sb.Append('"').Append(random.Next(4) == 0 ? Pick(Keys) : Pick(Keys[..10])).Append('"');
            if (random.Next(40) == 0) _sb.Append(newline);
            else if (style != 0 || random.Next(3) == 0) _sb.Append(' ', random.Next(2));
            _sb.Append(':');
            if (style != 0) _sb.Append(' ');
        }

        private void Value(int indent, int depth)
        {
            var choice = depth > 3 ? random.Next(3) : random.Next(6);
            switch (choice)
            {
                case 0: _sb.Append('"').Append(Pick(Strings)).Append('"'); break;
                case 1: _sb.Append(random.Next(30) == 0 ? Pick(Odd) : Pick(Words)); break;
                case 2: _sb.Append('"').Append(Pick(Strings)).Append('"'); break;
                case 3 or 4: Object(indent, depth + 1); break;
                default: Array(indent, depth + 1); break;
            }
        }

        public void Object(int indent, int depth)
        {
            _sb.Append('{');
            var entries = random.Next(0, 4);
            for (var i = 0; i < entries; i++)
            {
                Gap(indent + 1);
                Key(indent + 1);
                Value(indent + 1, depth);
                if (i < entries - 1 || random.Next(40) == 0) _sb.Append(',');
            }
            if (entries > 0) Gap(indent);
            _sb.Append('}');
        }

        public void Array(int indent, int depth)
        {
            _sb.Append('[');
            var entries = random.Next(0, 4);
            for (var i = 0; i < entries; i++)
            {
                Gap(indent + 1);
                Value(indent + 1, depth);
                if (i < entries - 1 || random.Next(40) == 0) _sb.Append(',');
            }
            if (entries > 0) Gap(indent);
            _sb.Append(']');
        }
    }
}
