using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Calico.Net;

namespace Calico.Routing;

/// <summary>
/// A masked prefix as plain numbers, so the planner can hash, compare and test containment without
/// allocating an IPAddress per step (IPPrefix.Contains masks through new IPAddress objects).
/// IPv4 lives in the low 32 bits. Ordering matches <see cref="IPPrefix.CompareTo"/>: family, address, length.
/// </summary>
internal readonly struct NetKey : IEquatable<NetKey>, IComparable<NetKey>
{
    public readonly UInt128 Bits;
    public readonly byte Length;
    public readonly bool IsV6;

    private NetKey(UInt128 bits, int length, bool isV6)
    {
        Bits = bits;
        Length = (byte)length;
        IsV6 = isV6;
    }

    public int Width => IsV6 ? 128 : 32;
    public int Family => IsV6 ? 6 : 4;
    /// <summary>A /32 or /128: felix's "exact" routes (route_mgr.go:288-298).</summary>
    public bool IsHost => Length == Width;

    public static NetKey FromPrefix(IPPrefix prefix) => Create(BitsOf(prefix.Address, out var v6), prefix.PrefixLength, v6);

    public static NetKey FromAddress(IPAddress address)
    {
        var bits = BitsOf(address, out var v6);
        return new NetKey(bits, v6 ? 128 : 32, v6);
    }

    public static NetKey Create(UInt128 bits, int length, bool isV6) => new(bits & MaskOf(length, isV6), length, isV6);

    /// <summary>The same address range cut to a shorter prefix.</summary>
    public NetKey Truncate(int length) => Create(Bits, length, IsV6);

    /// <summary>The host key <paramref name="offset"/> addresses into this prefix (a block ordinal).</summary>
    public NetKey HostAt(int offset) => new(Bits + (UInt128)(uint)offset, Width, IsV6);

    public bool Contains(NetKey other) =>
        other.IsV6 == IsV6 && other.Length >= Length && (other.Bits & MaskOf(Length, IsV6)) == Bits;

    public IPAddress ToAddress()
    {
        if (!IsV6) return new IPAddress(BinaryPrimitives.ReverseEndianness((uint)Bits));
        Span<byte> bytes = stackalloc byte[16];
        BinaryPrimitives.WriteUInt128BigEndian(bytes, Bits);
        return new IPAddress(bytes);
    }

    public IPPrefix ToPrefix() => new(ToAddress(), Length);

    private static UInt128 BitsOf(IPAddress address, out bool isV6)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var n);
        isV6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        return n == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    private static UInt128 MaskOf(int length, bool isV6)
    {
        var width = isV6 ? 128 : 32;
        var all = isV6 ? UInt128.MaxValue : (UInt128)uint.MaxValue;
        if (length >= width) return all;
        if (length <= 0) return UInt128.Zero;
        return all & ~((UInt128.One << (width - length)) - 1);
    }

    public bool Equals(NetKey other) => Bits == other.Bits && Length == other.Length && IsV6 == other.IsV6;
    public override bool Equals(object? obj) => obj is NetKey k && Equals(k);
    public override int GetHashCode() => HashCode.Combine(Bits, Length, IsV6);

    public int CompareTo(NetKey other)
    {
        var c = IsV6.CompareTo(other.IsV6);
        if (c != 0) return c;
        c = Bits.CompareTo(other.Bits);
        return c != 0 ? c : Length.CompareTo(other.Length);
    }

    public override string ToString() => ToPrefix().ToString();
}
