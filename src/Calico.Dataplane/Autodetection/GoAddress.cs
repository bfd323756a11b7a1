using System.Net;
using System.Net.Sockets;

namespace Calico.Dataplane.Autodetection;

/// <summary>Go's net.IP classification, which calico-node's autodetection filters with.</summary>
internal static class GoAddress
{
    /// <summary>
    /// Go's IP.IsGlobalUnicast: anything but unspecified, loopback, multicast, link-local unicast and the
    /// IPv4 limited broadcast. Private (10/8, fd00::/8) addresses are global unicast by this test.
    /// Returns null when it is, else what it is instead.
    /// </summary>
    public static string? WhyNotGlobalUnicast(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        Span<byte> b = stackalloc byte[16];
        address.TryWriteBytes(b, out var n);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            if (b[..4].IndexOfAnyExcept((byte)0) < 0) return "the unspecified address";
            if (b[..4].IndexOfAnyExcept((byte)255) < 0) return "the broadcast address";
            if (b[0] == 127) return "a loopback address";
            if (b[0] >= 224 && b[0] <= 239) return "a multicast address";
            if (b[0] == 169 && b[1] == 254) return "a link-local address";
            return null;
        }
        if (b[..n].IndexOfAnyExcept((byte)0) < 0) return "the unspecified address";
        if (address.Equals(IPAddress.IPv6Loopback)) return "a loopback address";
        if (b[0] == 0xff) return "a multicast address";
        if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return "a link-local address";
        return null;
    }
}
