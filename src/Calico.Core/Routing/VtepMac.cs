using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Calico.Routing;

/// <summary>VXLAN tunnel MAC addresses as felix makes and reads them.</summary>
public static class VtepMac
{
    /// <summary>
    /// The MAC felix gives a node's VXLAN device when the Node names none: 0x66 ('f') followed by the first five bytes of
    /// SHA-1 of the node name, with "-v6" appended for the IPv6 device (felix/calc/vxlan_resolver.go:339-366).
    /// </summary>
    public static string Generate(string nodeName, int family)
    {
        var input = family == 6 ? nodeName + "-v6" : nodeName;
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.UTF8.GetBytes(input), hash);
        Span<byte> mac = [0x66, hash[0], hash[1], hash[2], hash[3], hash[4]];
        return Format(mac);
    }

    /// <summary>
    /// Reads a 6-byte MAC in the forms Go's net.ParseMAC accepts ("aa:bb:cc:dd:ee:ff", "aa-bb-…", "aabb.ccdd.eeff")
    /// and gives it in Go's printed form, lower case with colons. Go also reads 8- and 20-byte addresses; a VXLAN
    /// device cannot use them, so they are refused here.
    /// </summary>
    public static bool TryNormalize(string? text, out string mac)
    {
        mac = "";
        if (string.IsNullOrEmpty(text)) return false;
        Span<byte> bytes = stackalloc byte[6];
        if (text.Length == 17 && (text[2] == ':' || text[2] == '-'))
        {
            var separator = text[2];
            for (var i = 0; i < 6; i++)
            {
                if (i < 5 && text[i * 3 + 2] != separator) return false;
                if (!byte.TryParse(text.AsSpan(i * 3, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return false;
            }
        }
        else if (text.Length == 14 && text[4] == '.' && text[9] == '.')
        {
            for (var i = 0; i < 6; i++)
            {
                var start = i / 2 * 5 + i % 2 * 2;
                if (!byte.TryParse(text.AsSpan(start, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out bytes[i])) return false;
            }
        }
        else
        {
            return false;
        }
        mac = Format(bytes);
        return true;
    }

    private static string Format(ReadOnlySpan<byte> mac) =>
        string.Join(':', mac.ToArray().Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
}
