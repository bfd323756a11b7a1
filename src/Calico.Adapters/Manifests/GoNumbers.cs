using System.Globalization;
using System.Numerics;
using System.Text;

namespace Calico.Manifests;

/// <summary>
/// Go's number syntax and formatting where calicoctl's YAML path depends on it: strconv.ParseInt with base 0
/// (go-yaml v2 reads YAML 1.1 integers with it), strconv.FormatFloat 'g' (a float read into a string field)
/// and encoding/json's float text (a float re-encoded as JSON on its way to a number field).
/// </summary>
internal static class GoNumbers
{
    /// <summary>strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64): sign, 0x/0o/0b or leading-0 octal prefixes.</summary>
    public static bool TryParseInteger(string s, out BigInteger value)
    {
        value = default;
        var i = 0;
        var negative = false;
        if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
        {
            negative = s[0] == '-';
            i = 1;
        }
        var radix = 10;
        if (s.Length - i >= 2 && s[i] == '0')
        {
            switch (s[i + 1])
            {
                case 'x' or 'X': radix = 16; i += 2; break;
                case 'o' or 'O': radix = 8; i += 2; break;
                case 'b' or 'B': radix = 2; i += 2; break;
                default: radix = 8; i += 1; break;
            }
        }
        if (i >= s.Length) return false;
        BigInteger v = 0;
        for (; i < s.Length; i++)
        {
            var d = DigitValue(s[i]);
            if (d < 0 || d >= radix) return false;
            v = v * radix + d;
            // Anything past uint64 fails both ParseInt and ParseUint; stop before the number grows without bound.
            if (v > ulong.MaxValue) return false;
        }
        // ParseUint takes no sign either, so a signed value must fit int64.
        if (i0HasSign(s) && v > long.MaxValue && !negative) return false;
        if (negative) v = -v;
        if (v < long.MinValue) return false;
        value = v;
        return true;
    }

    private static bool i0HasSign(string s) => s.Length > 0 && (s[0] == '+' || s[0] == '-');

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>strconv.FormatFloat(v, 'g', -1, 64): exponent form when the exponent is below -4 or at least 6.</summary>
    public static string FormatG(double v)
    {
        var (negative, digits, dp) = Shortest(v);
        var exp = dp - 1;
        var sb = new StringBuilder(24);
        if (negative) sb.Append('-');
        if (exp < -4 || exp >= 6) AppendE(sb, digits, dp);
        else AppendF(sb, digits, dp);
        return sb.ToString();
    }

    /// <summary>encoding/json's float64 text: like ES6, exponent form only below 1e-6 or from 1e21 up.</summary>
    public static string FormatJson(double v)
    {
        var (negative, digits, dp) = Shortest(v);
        var abs = Math.Abs(v);
        var sb = new StringBuilder(24);
        if (negative) sb.Append('-');
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            AppendE(sb, digits, dp);
            // Go trims e-09 to e-9 (but keeps e+21).
            var n = sb.Length;
            if (n >= 4 && sb[n - 4] == 'e' && sb[n - 3] == '-' && sb[n - 2] == '0') sb.Remove(n - 2, 1);
        }
        else
        {
            AppendF(sb, digits, dp);
        }
        return sb.ToString();
    }

    // The shortest decimal digits that round-trip, with the decimal point dp places from their start
    // (0.d1d2… × 10^dp), as Go's strconv computes them.
    private static (bool Negative, string Digits, int Dp) Shortest(double v)
    {
        var negative = double.IsNegative(v);
        var r = Math.Abs(v).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOfAny(['E', 'e']);
        var exponent = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var mantissa = e < 0 ? r : r[..e];
        var point = mantissa.IndexOf('.');
        var intDigits = point < 0 ? mantissa.Length : point;
        var all = point < 0 ? mantissa : mantissa.Remove(point, 1);
        var lead = 0;
        while (lead < all.Length - 1 && all[lead] == '0') lead++;
        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) return (negative, "0", 1);
        return (negative, digits, intDigits - lead + exponent);
    }

    private static void AppendE(StringBuilder sb, string digits, int dp)
    {
        sb.Append(digits[0]);
        if (digits.Length > 1) sb.Append('.').Append(digits, 1, digits.Length - 1);
        var exp = digits == "0" ? 0 : dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10) sb.Append('0');
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
    }

    private static void AppendF(StringBuilder sb, string digits, int dp)
    {
        if (dp > 0)
        {
            for (var i = 0; i < dp; i++) sb.Append(i < digits.Length ? digits[i] : '0');
        }
        else
        {
            sb.Append('0');
        }
        var fraction = Math.Max(digits.Length - dp, 0);
        if (fraction == 0) return;
        sb.Append('.');
        for (var i = 0; i < fraction; i++)
        {
            var j = dp + i;
            sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
        }
    }
}
