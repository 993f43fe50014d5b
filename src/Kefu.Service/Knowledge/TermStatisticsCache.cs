using System.Collections.Concurrent;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Document frequencies, title membership and chunk term sets remembered between searches. FTS5's vocabulary
/// tables count a term's documents by reading its whole posting list, which for a common character in 100k chunks
/// costs milliseconds per term; the vocabulary of a knowledge base is small, so after a few searches nearly every
/// lookup is a hit. Everything belongs to one generation of the knowledge base: any import or removal (by this
/// process or another) bumps the generation and the next search starts a fresh cache.
/// </summary>
internal sealed class TermStatisticsCache
{
    private const int MaxEntries = 500_000;
    private Generation _current = new(-1);

    /// <summary>The cache for <paramref name="generation"/>, replacing an older one.</summary>
    public Generation For(long generation)
    {
        var current = Volatile.Read(ref _current);
        if (current.Number == generation)
            return current;
        var fresh = new Generation(generation);
        Interlocked.CompareExchange(ref _current, fresh, current);
        return fresh;
    }

    internal sealed class Generation(long number)
    {
        public long Number { get; } = number;

        public ConcurrentDictionary<string, long> Frequencies { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, bool> InTitles { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<long, HashSet<string>> ChunkTerms { get; } = new();

        /// <summary>Adds unless the cache is full (a bound on memory for a huge, ever-changing vocabulary).</summary>
        public void Remember<TKey, TValue>(ConcurrentDictionary<TKey, TValue> map, TKey key, TValue value)
            where TKey : notnull
        {
            if (map.Count < MaxEntries)
                map.TryAdd(key, value);
        }
    }
}
