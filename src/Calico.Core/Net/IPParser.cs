using System.Net;
using System.Net.Sockets;

namespace Calico.Net;

/// <summary>
/// Parses addresses the way Go's net.ParseIP does, which is what Calico validates with.
/// .NET's IPAddress.TryParse is far more lenient ("1" → 0.0.0.1, octal, hex, scope ids),
/// so a plain TryParse would accept values Calico rejects.
/// </summary>
public static class IPParser
{
    public static bool TryParse(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.IsEmpty) return false;
        if (text.Contains(':'))
        {
            // Go rejects zones and brackets in ParseIP; .NET would accept them.
            if (text.Contains('%') || text.Contains('[') || text.Contains(']')) return false;
            foreach (var c in text)
            {
                if (!(char.IsAsciiHexDigit(c) || c == ':' || c == '.')) return false;
            }
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            // An embedded IPv4 tail must itself be strict dotted-quad.
            var lastColon = text.LastIndexOf(':');
            var tail = text[(lastColon + 1)..];
            if (tail.Contains('.') && !TryParseV4(tail, out _)) return false;
            address = v6;
            return true;
        }
        return TryParseV4(text, out address);
    }

    public static bool TryParse(string? text, out IPAddress address)
    {
        address = IPAddress.None;
        return text is not null && TryParse(text.AsSpan(), out address);
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        Span<byte> bytes = stackalloc byte[4];
        int part = 0, value = 0, digits = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (digits == 0 || part == 3) return false;
                bytes[part++] = (byte)value;
                value = 0; digits = 0;
                continue;
            }
            if (c < '0' || c > '9') return false;
            // Go 1.17+ rejects leading zeros (they read as octal elsewhere).
            if (digits == 1 && value == 0) return false;
            value = value * 10 + (c - '0');
            if (++digits > 3 || value > 255) return false;
        }
        if (digits == 0 || part != 3) return false;
        bytes[3] = (byte)value;
        address = new IPAddress(bytes);
        return true;
    }
}
