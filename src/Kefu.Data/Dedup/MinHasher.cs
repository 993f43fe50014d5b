namespace Kefu.Data.Dedup;

/// <summary>
/// MinHash over character shingles: each text becomes the set of its n-character substrings (n = 3 by default,
/// which works for Chinese where words are not space-separated), and the signature holds, for each of k seeded hash
/// functions, the minimum hash over the set. Two signatures agree in a position with probability equal to the
/// Jaccard similarity of the sets.
/// </summary>
public sealed class MinHasher
{
    private readonly ulong[] _seeds;

    public MinHasher(int hashCount = 128, int shingleSize = 3, ulong seed = 0x4B454655)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(hashCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(shingleSize, 1);
        HashCount = hashCount;
        ShingleSize = shingleSize;
        _seeds = new ulong[hashCount];
        var state = seed;
        for (var i = 0; i < hashCount; i++)
            _seeds[i] = SplitMix64(ref state);
    }

    public int HashCount { get; }

    public int ShingleSize { get; }

    /// <summary>The hashed shingles of already-normalised text; a text shorter than a shingle is one shingle.</summary>
    public HashSet<ulong> Shingles(string normalized)
    {
        var set = new HashSet<ulong>();
        if (normalized.Length == 0)
            return set;
        if (normalized.Length <= ShingleSize)
        {
            set.Add(Hash(normalized.AsSpan()));
            return set;
        }
        for (var i = 0; i + ShingleSize <= normalized.Length; i++)
            set.Add(Hash(normalized.AsSpan(i, ShingleSize)));
        return set;
    }

    public ulong[] Signature(HashSet<ulong> shingles)
    {
        var signature = new ulong[HashCount];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var shingle in shingles)
        {
            for (var i = 0; i < signature.Length; i++)
            {
                var h = Mix(shingle ^ _seeds[i]);
                if (h < signature[i])
                    signature[i] = h;
            }
        }
        return signature;
    }

    public static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        if (a.Count == 0 && b.Count == 0)
            return 1;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var intersection = small.Count(large.Contains);
        return (double)intersection / (a.Count + b.Count - intersection);
    }

    private static ulong Hash(ReadOnlySpan<char> text)
    {
        // FNV-1a over UTF-16 code units, then a finaliser so nearby shingles spread over all 64 bits.
        var hash = 14695981039346656037UL;
        foreach (var c in text)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return Mix(hash);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong SplitMix64(ref ulong state)
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }
}
