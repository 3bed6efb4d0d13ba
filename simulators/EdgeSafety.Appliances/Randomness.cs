namespace EdgeSafety.Appliances;

/// <summary>
/// A small, fast generator (xoshiro256**, seeded through SplitMix64) for the per-sample measurement noise: the same
/// seed gives the same numbers on every machine and runtime, and it costs a few nanoseconds a draw.
/// </summary>
internal sealed class FastRandom
{
    private ulong _s0, _s1, _s2, _s3;

    public FastRandom(ulong seed)
    {
        _s0 = Hash.Mix(ref seed);
        _s1 = Hash.Mix(ref seed);
        _s2 = Hash.Mix(ref seed);
        _s3 = Hash.Mix(ref seed);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>
    /// Close to a standard normal: the sum of four 16-bit uniforms out of one draw, scaled to variance 1. Cheap,
    /// bounded at ±3.46, plenty for measurement noise.
    /// </summary>
    public double NextGaussian()
    {
        var bits = NextUInt64();
        var sum = (bits & 0xFFFF) + ((bits >> 16) & 0xFFFF) + ((bits >> 32) & 0xFFFF) + (bits >> 48);
        return ((sum / 65536.0) - 2) * 1.7320508075688772;
    }
}

/// <summary>Deterministic noise as a function of a key and time, so a model can be evaluated at any instant in any order.</summary>
internal static class Hash
{
    public static ulong Mix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>
    /// A seed made from several numbers, the same on every run (HashCode.Combine is randomised per process, so it
    /// would break reproducibility).
    /// </summary>
    public static int Seed(params ReadOnlySpan<int> parts)
    {
        var state = 0x2545F4914F6CDD1DUL;
        foreach (var part in parts)
        {
            state ^= (uint)part;
            state = Mix(ref state);
        }

        return (int)(state & int.MaxValue);
    }

    /// <summary>Uniform in [-1, 1) for the key and an integer index.</summary>
    public static double Signed(ulong key, long index)
    {
        var state = key ^ ((ulong)index * 0xD1B54A32D192ED03UL);
        return ((Mix(ref state) >> 11) * (2.0 / (1UL << 53))) - 1;
    }

    /// <summary>Uniform in [0, 1) for the key and an integer index.</summary>
    public static double Unit(ulong key, long index) => (Signed(key, index) + 1) / 2;

    /// <summary>Noise in [-1, 1] that wanders smoothly with time: values at multiples of the period, cosine-interpolated.</summary>
    public static double Smooth(ulong key, double time, double period)
    {
        var position = time / period;
        var index = (long)Math.Floor(position);
        var fraction = position - index;
        var blend = (1 - Math.Cos(fraction * Math.PI)) / 2;
        return (Signed(key, index) * (1 - blend)) + (Signed(key, index + 1) * blend);
    }
}
