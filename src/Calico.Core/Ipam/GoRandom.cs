namespace Calico.Ipam;

/// <summary>
/// Go's math/rand generator (rand.New(rand.NewSource(seed))), so a host walks a pool's blocks from the very start
/// Calico's IPAM picks for it: two processes on one host, ours and calico-node's, then reach for the same block
/// instead of claiming one each.
/// </summary>
internal sealed class GoRandom
{
    private const int Length = 607;
    private const int Tap = 273;
    private const int Int32Max = int.MaxValue;

    private readonly long[] _vec = new long[Length];
    private int _tap;
    private int _feed;

    public GoRandom(long seed)
    {
        var cooked = CookedTable.Values;
        _tap = 0;
        _feed = Length - Tap;
        seed %= Int32Max;
        if (seed < 0) seed += Int32Max;
        if (seed == 0) seed = 89482311;
        SeedSequence((int)seed, 40, 20, _vec);
        for (var i = 0; i < Length; i++) _vec[i] ^= cooked[i];
    }

    /// <summary>The values seeding fills the state with: Seed shifts by 40 and 20, gen_cooked.go's srand by 20 and 10.</summary>
    private static void SeedSequence(int x, int highShift, int middleShift, long[] values)
    {
        for (var i = -20; i < Length; i++)
        {
            x = SeedRand(x);
            if (i < 0) continue;
            var u = (long)x << highShift;
            x = SeedRand(x);
            u ^= (long)x << middleShift;
            x = SeedRand(x);
            u ^= x;
            values[i] = u;
        }
    }

    public ulong Uint64()
    {
        if (--_tap < 0) _tap += Length;
        if (--_feed < 0) _feed += Length;
        var x = unchecked(_vec[_feed] + _vec[_tap]);
        _vec[_feed] = x;
        return (ulong)x;
    }

    public long Int63() => (long)(Uint64() & long.MaxValue);

    public uint Uint32() => (uint)(Int63() >> 31);

    /// <summary>big.Int.Rand: a uniform value in [0, limit), drawn 64-bit word by word with rejection, as Go does it.</summary>
    public System.Numerics.BigInteger NextBelow(System.Numerics.BigInteger limit)
    {
        if (limit.Sign <= 0) return System.Numerics.BigInteger.Zero;
        var bits = (int)limit.GetBitLength();
        var words = (bits + 63) / 64;
        var topBits = bits % 64 == 0 ? 64 : bits % 64;
        var mask = topBits == 64 ? ulong.MaxValue : (1UL << topBits) - 1;
        var z = new ulong[words];
        var bytes = new byte[words * 8];
        while (true)
        {
            for (var i = 0; i < words; i++) z[i] = Uint32() | (ulong)Uint32() << 32;
            z[words - 1] &= mask;
            for (var i = 0; i < words; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 8, 8), z[i]);
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("GoRandom assumes a little-endian machine");
            var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: false);
            if (value < limit) return value;
        }
    }

    private static int SeedRand(int x)
    {
        const int a = 48271, q = 44488, r = 3399;
        var hi = x / q;
        var lo = x % q;
        x = a * lo - r * hi;
        if (x < 0) x += Int32Max;
        return x;
    }

    /// <summary>
    /// Go's rngCooked: the generator's state after 7.8e12 steps from seed 1 (math/rand/gen_cooked.go). The
    /// generator is linear, x[n] = x[n-607] + x[n-273] mod 2^64, so the state is computed by raising x to the
    /// 7.8e12th power modulo x^607 - x^334 - 1 rather than by stepping, which takes milliseconds.
    /// </summary>
    internal static class CookedTable
    {
        private const long Steps = 7_800_000_000_000;
        private static readonly Lazy<long[]> Table = new(Compute);

        public static long[] Values => Table.Value;

        private static long[] Compute()
        {
            // gen_cooked.go's srand(1).
            var seeded = new long[Length];
            SeedSequence(1, 20, 10, seeded);
            var initial = Array.ConvertAll(seeded, v => (ulong)v);

            // Step t (from 1) writes position (334 - t) mod 607. Number the sequence so y[0..606] are the initial
            // values in the order they would have been written: position p holds y[k] with k ≡ (334 - p) + 606.
            var y = new ulong[Length];
            for (var p = 0; p < Length; p++) y[Mod(334 - p + 606, Length)] = initial[p];

            // After Steps steps, position p holds the newest y[n] with n ≤ Steps + 606 and n ≡ 334 - p + 606.
            var coefficients = PowerOfX(Steps);
            var result = new long[Length];
            for (var n = Steps; n <= Steps + Length - 1; n++)
            {
                ulong value = 0;
                for (var i = 0; i < Length; i++) value = unchecked(value + coefficients[i] * y[i]);
                var p = Mod(334 + 606 - n, Length);
                result[p] = (long)value;
                coefficients = TimesX(coefficients);
            }
            return result;
        }

        private static int Mod(long value, int m) => (int)(((value % m) + m) % m);

        /// <summary>x^n modulo x^607 - x^334 - 1, coefficients mod 2^64.</summary>
        private static ulong[] PowerOfX(long n)
        {
            var result = new ulong[Length];
            result[0] = 1;
            var bit = 62;
            while (bit >= 0 && (n >> bit & 1) == 0) bit--;
            for (; bit >= 0; bit--)
            {
                result = Square(result);
                if ((n >> bit & 1) != 0) result = TimesX(result);
            }
            return result;
        }

        private static ulong[] Square(ulong[] a)
        {
            var product = new ulong[2 * Length - 1];
            for (var i = 0; i < Length; i++)
            {
                var ai = a[i];
                if (ai == 0) continue;
                for (var j = 0; j < Length; j++) product[i + j] = unchecked(product[i + j] + ai * a[j]);
            }
            // x^k = x^(k-273) + x^(k-607) for k ≥ 607, folded from the top down.
            for (var k = product.Length - 1; k >= Length; k--)
            {
                var c = product[k];
                if (c == 0) continue;
                product[k - Tap] = unchecked(product[k - Tap] + c);
                product[k - Length] = unchecked(product[k - Length] + c);
            }
            return product[..Length];
        }

        private static ulong[] TimesX(ulong[] a)
        {
            var shifted = new ulong[Length];
            Array.Copy(a, 0, shifted, 1, Length - 1);
            var top = a[Length - 1];
            shifted[Length - Tap] = unchecked(shifted[Length - Tap] + top);
            shifted[0] = unchecked(shifted[0] + top);
            return shifted;
        }
    }
}
