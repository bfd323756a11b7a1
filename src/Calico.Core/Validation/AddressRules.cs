using System.Net;
using System.Net.Sockets;
using Calico.Net;

namespace Calico.Validation;

/// <summary>
/// The address checks behind Calico's field validators, reproduced with Go's own parsing rules
/// (libcalico-go/lib/validator/v3/validator.go:421-434, 529-615).
/// </summary>
internal static class AddressRules
{
    /// <summary>
    /// The `ipv4` validator: net.ParseIP succeeds and To4() is not nil (validator.go:609-615).
    /// Go counts an IPv4-mapped IPv6 address (::ffff:a.b.c.d) as IPv4 there, so we do too.
    /// A prefix length is not allowed.
    /// </summary>
    public static bool IsIPv4(string text) => IPParser.TryParse(text, out var address) && GoFamily(address) == 4;

    /// <summary>The `ipv6` validator: net.ParseIP succeeds and To4() is nil (validator.go:617-623).</summary>
    public static bool IsIPv6(string text) => IPParser.TryParse(text, out var address) && GoFamily(address) == 6;

    /// <summary>
    /// The `cidrv4` / `cidrv6` validators: cnet.ParseCIDROrIP succeeds and the address is of the family
    /// (validator.go:529-565). A bare address is accepted, and host bits are allowed: 10.0.2.15/24 is fine.
    /// </summary>
    public static bool IsAddressOrCidr(string text, int family) =>
        IPPrefix.TryParseAddressOrPrefix(text, out var prefix, out _) && GoFamily(prefix.Address) == family;

    /// <summary>The IP version cnet's Version() reports: 4 for IPv4 and for IPv4-mapped IPv6 addresses.</summary>
    public static int GoFamily(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork || address.IsIPv4MappedToIPv6 ? 4 : 6;

    /// <summary>
    /// Go's net.ParseMAC (the `mac` validator, validator.go:421-434): 6, 8 or 20 octets written as
    /// two-digit hex groups joined by ':' or '-' (one separator throughout), or as four-digit groups
    /// joined by '.'; either case of hex digit.
    /// </summary>
    public static bool IsMac(string text)
    {
        var s = text.AsSpan();
        if (s.Length < 14) return false;
        if (s[2] is ':' or '-')
        {
            if ((s.Length + 1) % 3 != 0) return false;
            var octets = (s.Length + 1) / 3;
            if (octets is not (6 or 8 or 20)) return false;
            var separator = s[2];
            for (var x = 0; x < s.Length; x += 3)
            {
                if (!IsHexPair(s, x)) return false;
                if (x + 2 < s.Length && s[x + 2] != separator) return false;
            }
            return true;
        }
        if (s[4] == '.')
        {
            if ((s.Length + 1) % 5 != 0) return false;
            var octets = 2 * (s.Length + 1) / 5;
            if (octets is not (6 or 8 or 20)) return false;
            for (var x = 0; x < s.Length; x += 5)
            {
                if (!IsHexPair(s, x) || !IsHexPair(s, x + 2)) return false;
                if (x + 4 < s.Length && s[x + 4] != '.') return false;
            }
            return true;
        }
        return false;
    }

    private static bool IsHexPair(ReadOnlySpan<char> s, int at) =>
        char.IsAsciiHexDigit(s[at]) && char.IsAsciiHexDigit(s[at + 1]);
}
