using System.Net;
using System.Net.Sockets;

namespace Calico.Net;

/// <summary>
/// An IPv4 or IPv6 address with a prefix length, as Go's net.IPNet and Calico's cnet.IPNet.
/// The address keeps its host bits (a node address such as 10.0.2.15/24);
/// <see cref="Network"/> gives the masked prefix.
/// </summary>
public readonly struct IPPrefix : IEquatable<IPPrefix>, IComparable<IPPrefix>
{
    private readonly IPAddress? _address;

    public IPPrefix(IPAddress address, int prefixLength)
    {
        ArgumentNullException.ThrowIfNull(address);
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max)
            throw new ArgumentOutOfRangeException(nameof(prefixLength), prefixLength, $"prefix length must be 0-{max}");
        _address = address;
        PrefixLength = prefixLength;
    }

    public IPAddress Address => _address ?? IPAddress.Any;
    public int PrefixLength { get; }
    public bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;
    public int Family => IsIPv6 ? 6 : 4;
    public int MaxPrefixLength => IsIPv6 ? 128 : 32;

    /// <summary>The prefix with its host bits cleared.</summary>
    public IPPrefix Network => new(Mask(Address, PrefixLength), PrefixLength);

    public bool IsMasked => Mask(Address, PrefixLength).Equals(Address);

    /// <summary>Parses "address/length" strictly, as Go's net.ParseCIDR: a bare address is rejected.</summary>
    public static bool TryParse(string? text, out IPPrefix prefix)
    {
        prefix = default;
        if (string.IsNullOrEmpty(text)) return false;
        var span = text.AsSpan();
        var slash = span.IndexOf('/');
        if (slash < 0) return false;
        if (!IPParser.TryParse(span[..slash], out var address)) return false;
        var lengthText = span[(slash + 1)..];
        if (lengthText.IsEmpty) return false;
        var length = 0;
        foreach (var c in lengthText)
        {
            if (c < '0' || c > '9') return false;
            // Go's dtoi accepts leading zeros ("/024" is 24) and stops at a large value.
            length = length * 10 + (c - '0');
            if (length > 128) return false;
        }
        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        if (length > max) return false;
        prefix = new IPPrefix(address, length);
        return true;
    }

    public static IPPrefix Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"'{text}' is not a valid CIDR (address/prefix-length)");

    /// <summary>Parses an address with or without a prefix; a bare address gets a full-length prefix.</summary>
    public static bool TryParseAddressOrPrefix(string? text, out IPPrefix prefix, out bool hadPrefix)
    {
        hadPrefix = text is not null && text.Contains('/');
        if (hadPrefix) return TryParse(text, out prefix);
        prefix = default;
        if (!IPParser.TryParse(text, out var address)) return false;
        prefix = new IPPrefix(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != Address.AddressFamily) return false;
        return Mask(address, PrefixLength).Equals(Mask(Address, PrefixLength));
    }

    /// <summary>True when <paramref name="other"/> lies wholly inside this prefix.</summary>
    public bool Contains(IPPrefix other) => other.PrefixLength >= PrefixLength && Contains(other.Address);

    public bool Overlaps(IPPrefix other) => Contains(other.Address) || other.Contains(Address);

    public static IPAddress Mask(IPAddress address, int prefixLength)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        bytes = bytes[..n];
        for (var i = 0; i < n; i++)
        {
            var bitsLeft = prefixLength - i * 8;
            if (bitsLeft >= 8) continue;
            bytes[i] = bitsLeft <= 0 ? (byte)0 : (byte)(bytes[i] & (0xFF << (8 - bitsLeft)));
        }
        return new IPAddress(bytes);
    }

    /// <summary>Canonical text, as Go prints an IPNet: "192.168.0.0/16", "fd00::/48".</summary>
    public override string ToString() => $"{Address}/{PrefixLength}";

    public bool Equals(IPPrefix other) => PrefixLength == other.PrefixLength && Address.Equals(other.Address);
    public override bool Equals(object? obj) => obj is IPPrefix p && Equals(p);
    public override int GetHashCode() => HashCode.Combine(Address, PrefixLength);
    public static bool operator ==(IPPrefix a, IPPrefix b) => a.Equals(b);
    public static bool operator !=(IPPrefix a, IPPrefix b) => !a.Equals(b);

    public int CompareTo(IPPrefix other)
    {
        var c = Family.CompareTo(other.Family);
        if (c != 0) return c;
        Span<byte> a = stackalloc byte[16], b = stackalloc byte[16];
        Address.TryWriteBytes(a, out var na);
        other.Address.TryWriteBytes(b, out _);
        c = a[..na].SequenceCompareTo(b[..na]);
        return c != 0 ? c : PrefixLength.CompareTo(other.PrefixLength);
    }
}
