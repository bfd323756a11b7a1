using System.Net;
using System.Numerics;
using Calico.Net;

namespace Calico.Ipam;

/// <summary>
/// The order in which a host considers a pool's blocks (libcalico-go randomBlockGenerator): every block once,
/// starting at a random index seeded by FNV-32 of the host name and wrapping round, so a host returns to the same
/// region of the pool and concurrent requests on one host reach for the same block.
/// </summary>
internal static class BlockWalk
{
    public static IEnumerable<IPPrefix> From(IPPrefix pool, int blockSize, string host)
    {
        var max = pool.MaxPrefixLength;
        if (blockSize < pool.PrefixLength || blockSize > max) yield break;
        var numBlocks = BigInteger.One << (blockSize - pool.PrefixLength);
        var blockAddresses = BigInteger.One << (max - blockSize);
        // Single-address blocks: nothing to gain from a stable start, so Calico seeds from the clock.
        var seed = blockSize == max ? DateTime.UtcNow.Ticks * 100 : Fnv1Hash32(host);
        var index = new GoRandom(seed).NextBelow(numBlocks);
        var baseValue = ToInteger(pool.Network.Address);
        for (BigInteger returned = 0; returned < numBlocks; returned++)
        {
            yield return new IPPrefix(ToAddress(baseValue + index * blockAddresses, pool.IsIPv6), blockSize);
            index = numBlocks - index <= 1 ? BigInteger.Zero : index + 1;
        }
    }

    /// <summary>Go's hash/fnv New32 (FNV-1, not FNV-1a).</summary>
    public static uint Fnv1Hash32(string text)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked(hash * 16777619u);
            hash ^= b;
        }
        return hash;
    }

    public static BigInteger ToInteger(IPAddress address) =>
        new(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);

    public static IPAddress ToAddress(BigInteger value, bool ipv6)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        var padded = new byte[ipv6 ? 16 : 4];
        Array.Copy(bytes, 0, padded, padded.Length - bytes.Length, bytes.Length);
        return new IPAddress(padded);
    }
}
