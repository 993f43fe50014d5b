namespace Kefu.Data.Mixing;

/// <summary>
/// A small deterministic PRNG (SplitMix64): the same seed gives the same mix and split on every machine and .NET
/// version, which System.Random does not promise.
/// </summary>
internal sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>) without modulo bias (Lemire's method).</summary>
    public int Next(int exclusiveMax)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(exclusiveMax, 0);
        var bound = (ulong)exclusiveMax;
        var threshold = (0 - bound) % bound;
        while (true)
        {
            var product = Math.BigMul(NextUInt64(), bound, out var low);
            if (low >= threshold)
                return (int)product;
        }
    }

    /// <summary>Fisher–Yates shuffle in place.</summary>
    public void Shuffle<T>(IList<T> items)
    {
        for (var i = items.Count - 1; i > 0; i--)
        {
            var j = Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>A generator for one purpose ("mix", "split") derived from the user's seed, so steps don't share a stream.</summary>
    public static SeededRandom For(int seed, string purpose)
    {
        var state = (ulong)(uint)seed;
        foreach (var c in purpose)
            state = (state ^ c) * 0x100000001B3UL;
        return new SeededRandom(state);
    }
}
