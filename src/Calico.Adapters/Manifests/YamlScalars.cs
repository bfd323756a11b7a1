using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;
using Calico.Serialization;

namespace Calico.Manifests;

/// <summary>
/// Types a YAML scalar as calicoctl's reader does: go-yaml v2 resolves it by YAML 1.1 rules (yes/on are
/// booleans, 0x1F and 010 integers, .5 a float), then sigs.k8s.io/yaml turns the result into JSON. The
/// returned <see cref="DocScalar"/> is that JSON value: Quoted for a string, JSON text for the rest.
/// </summary>
internal static partial class YamlScalars
{
    public const string StrTag = "tag:yaml.org,2002:str";
    public const string IntTag = "tag:yaml.org,2002:int";
    public const string FloatTag = "tag:yaml.org,2002:float";
    public const string BoolTag = "tag:yaml.org,2002:bool";
    public const string NullTag = "tag:yaml.org,2002:null";
    public const string BinaryTag = "tag:yaml.org,2002:binary";
    public const string TimestampTag = "tag:yaml.org,2002:timestamp";
    public const string MergeTag = "tag:yaml.org,2002:merge";

    private enum Kind { Str, Null, Bool, Int, Float }

    /// <summary>The scalar as JSON, or null with <paramref name="error"/> set when calicoctl would fail on it.</summary>
    /// <param name="tag">The explicit tag, expanded; empty for none; "!" for the non-specific tag.</param>
    /// <param name="plain">Whether the scalar was written unquoted (only then is it typed by its text).</param>
    public static DocScalar? Resolve(string value, string tag, bool plain, int line, int column, out string? error)
    {
        error = null;
        if (tag == BinaryTag)
        {
            try
            {
                // Go keeps the bytes; encoding them as JSON turns invalid UTF-8 into U+FFFD, as this does.
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                return Str(text, line, column);
            }
            catch (FormatException)
            {
                error = "!!binary value contains invalid base64 data";
                return null;
            }
        }
        // Quoted and block scalars are strings, as is anything with a tag go-yaml does not resolve.
        if (tag.Length == 0 ? !plain : !IsResolvable(tag)) return Str(value, line, column);

        var (kind, json) = ResolvePlain(value);
        if (tag.Length > 0 && tag != StrTag && TagOf(kind) != tag)
        {
            if (tag == FloatTag && kind == Kind.Int)
            {
                return FloatScalar((double)BigInteger.Parse(json!, CultureInfo.InvariantCulture), line, column, out error);
            }
            // go-yaml treats any timestamp-looking text tagged !!timestamp as a string for an interface{} target.
            if (!(tag == TimestampTag && kind == Kind.Str && LooksLikeTimestamp(value)))
            {
                error = $"cannot decode {ShortTag(TagOf(kind))} `{value}` as a {ShortTag(tag)}";
                return null;
            }
        }
        if (tag == StrTag) return Str(value, line, column);
        return kind switch
        {
            Kind.Str => Str(value, line, column),
            Kind.Float => FloatScalar(double.Parse(json!, CultureInfo.InvariantCulture), line, column, out error),
            _ => new DocScalar(json, quoted: false) { Line = line, Column = column },
        };
    }

    /// <summary>True when go-yaml would read the unquoted text as something other than a string.</summary>
    public static bool ResolvesToNonString(string text) =>
        ResolvePlain(text).Kind != Kind.Str || LooksLikeTimestamp(text);

    private static bool IsResolvable(string tag) =>
        tag is StrTag or IntTag or FloatTag or BoolTag or NullTag or TimestampTag;

    private static string TagOf(Kind kind) => kind switch
    {
        Kind.Null => NullTag,
        Kind.Bool => BoolTag,
        Kind.Int => IntTag,
        Kind.Float => FloatTag,
        _ => StrTag,
    };

    private static string ShortTag(string tag) => tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag[18..] : tag;

    private static DocScalar Str(string value, int line, int column) => new(value, quoted: true) { Line = line, Column = column };

    private static DocScalar? FloatScalar(double v, int line, int column, out string? error)
    {
        error = null;
        if (double.IsNaN(v) || double.IsInfinity(v))
        {
            // sigs.k8s.io/yaml re-encodes the document as JSON, which has no NaN or infinity.
            error = "NaN and infinity cannot be represented";
            return null;
        }
        var json = GoNumbers.FormatJson(v);
        var g = GoNumbers.FormatG(v);
        return new DocScalar(json, quoted: false) { Line = line, Column = column, StringValue = g == json ? null : g };
    }

    // go-yaml v2's resolve(): the first character picks which readings are tried. Returns the value as JSON
    // text (null for null, and for a string, which is the text itself).
    private static (Kind Kind, string? Json) ResolvePlain(string s)
    {
        switch (s)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return (Kind.Null, null);
            case "y" or "Y" or "yes" or "Yes" or "YES" or "true" or "True" or "TRUE" or "on" or "On" or "ON":
                return (Kind.Bool, "true");
            case "n" or "N" or "no" or "No" or "NO" or "false" or "False" or "FALSE" or "off" or "Off" or "OFF":
                return (Kind.Bool, "false");
            case ".nan" or ".NaN" or ".NAN" or ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" or "-.inf" or "-.Inf" or "-.INF":
                return (Kind.Float, s.Contains("nan", StringComparison.OrdinalIgnoreCase) ? "NaN" : s[0] == '-' ? "-Infinity" : "Infinity");
        }
        // Every integer and float spelling stays within these characters; most text (CIDRs, names) does not.
        if (s.AsSpan().ContainsAnyExcept(NumberCharacters)) return (Kind.Str, null);
        var first = s[0];
        if (first == '.')
        {
            // Go's ParseFloat takes "_" between digits.
            var digits = s.Replace("_", "", StringComparison.Ordinal);
            if (DotFloat().IsMatch(digits) && UnderscoresBetweenDigits(s)) return AsFloat(digits);
        }
        else if (first is '+' or '-' || char.IsAsciiDigit(first))
        {
            var plain = s.Replace("_", "", StringComparison.Ordinal);
            if (GoNumbers.TryParseInteger(plain, out var n))
                return (Kind.Int, n.ToString(CultureInfo.InvariantCulture));
            if (YamlFloat().IsMatch(plain)) return AsFloat(plain);
        }
        return (Kind.Str, null);
    }

    private static readonly SearchValues<char> NumberCharacters = SearchValues.Create("0123456789abcdefABCDEFxXoO+-._");

    private static bool UnderscoresBetweenDigits(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '_' && (i == 0 || i == s.Length - 1 || !char.IsAsciiDigit(s[i - 1]) || !char.IsAsciiDigit(s[i + 1])))
                return false;
        }
        return true;
    }

    private static (Kind, string?) AsFloat(string text)
    {
        var v = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        // Go's ParseFloat fails on overflow, so the text stays a string.
        if (double.IsInfinity(v)) return (Kind.Str, null);
        return (Kind.Float, v.ToString("R", CultureInfo.InvariantCulture));
    }

    /// <summary>go-yaml's timestamp test (4-digit year, then its formats), used only to decide quoting.</summary>
    public static bool LooksLikeTimestamp(string s)
    {
        var i = 0;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        if (i != 4 || i == s.Length || s[i] != '-') return false;
        var m = Timestamp().Match(s);
        if (!m.Success) return false;
        // Go's time.Parse also checks the ranges.
        int Part(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        var (year, month, day) = (Part("y"), Part("mo"), Part("d"));
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(year, 1), month)) return false;
        return Part("h") < 24 && Part("mi") < 60 && Part("s") < 60;
    }

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?\z")]
    private static partial Regex DotFloat();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\z")]
    private static partial Regex YamlFloat();

    // The layouts go-yaml tries: 2006-1-2T15:4:5.999999999Z07:00 (T or t), "2006-1-2 15:4:5.999999999", 2006-1-2.
    [GeneratedRegex(@"^(?<y>[0-9]{4})-(?<mo>[0-9]{1,2})-(?<d>[0-9]{1,2})(?:[Tt](?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})| (?<h>[0-9]{1,2}):(?<mi>[0-9]{1,2}):(?<s>[0-9]{1,2})(?:\.[0-9]+)?)?\z")]
    private static partial Regex Timestamp();
}
