using System.Globalization;

namespace Calico.Resources;

/// <summary>
/// A BGP AS number: a 32-bit unsigned value, written plain ("64512") or dotted ("1.10" = 1&lt;&lt;16 + 10),
/// and always written back as a plain number, as Calico's numorstring.ASNumber does.
/// </summary>
public readonly struct ASNumber : IEquatable<ASNumber>
{
    public ASNumber(uint value) => Value = value;

    public uint Value { get; }

    public static bool TryParse(string? text, out ASNumber number)
    {
        number = default;
        if (string.IsNullOrEmpty(text)) return false;
        var dot = text.IndexOf('.');
        if (dot < 0)
        {
            if (!IsDigits(text)) return false;
            if (!uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var plain)) return false;
            number = new ASNumber(plain);
            return true;
        }
        var hi = text[..dot];
        var lo = text[(dot + 1)..];
        if (!IsDigits(hi) || !IsDigits(lo)) return false;
        if (!ushort.TryParse(hi, NumberStyles.None, CultureInfo.InvariantCulture, out var h)) return false;
        if (!ushort.TryParse(lo, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) return false;
        number = new ASNumber(((uint)h << 16) + l);
        return true;
    }

    public static ASNumber Parse(string text) =>
        TryParse(text, out var n) ? n : throw new FormatException($"'{text}' is not an AS number (0-4294967295, or dotted a.b with 16 bits each)");

    private static bool IsDigits(string s)
    {
        if (s.Length == 0) return false;
        foreach (var c in s) if (c < '0' || c > '9') return false;
        return true;
    }

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    public bool Equals(ASNumber other) => Value == other.Value;
    public override bool Equals(object? obj) => obj is ASNumber a && Equals(a);
    public override int GetHashCode() => Value.GetHashCode();
    public static bool operator ==(ASNumber a, ASNumber b) => a.Equals(b);
    public static bool operator !=(ASNumber a, ASNumber b) => !a.Equals(b);
    public static implicit operator ASNumber(uint value) => new(value);
}
