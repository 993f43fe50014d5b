namespace Kefu.Data.Dedup;

/// <summary>
/// Finds near-duplicate texts with MinHash and locality-sensitive hashing: 128-hash signatures are cut into bands of
/// r rows; texts that agree on a whole band become candidates, with probability 1 − (1 − s^r)^bands at Jaccard s.
/// r is the largest that still catches pairs at the threshold with probability ≥ 0.999 (for 0.8: 25 bands × 5 rows,
/// 0.99995 at 0.8, 0.54 at 0.5, 0.06 at 0.3), and each candidate is confirmed by its exact Jaccard similarity, so
/// there are no false positives.
/// </summary>
public sealed class NearDuplicateDetector
{
    private readonly MinHasher _hasher;
    private readonly int _bands;
    private readonly int _rows;

    private const int SignatureLength = 128;

    /// <param name="threshold">Minimum Jaccard similarity of the 3-character shingle sets (default 0.8).</param>
    public NearDuplicateDetector(double threshold = 0.8)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(threshold, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(threshold, 1);
        Threshold = threshold;
        _rows = 1;
        for (var rows = 2; rows <= 16; rows++)
        {
            if (CandidateProbability(threshold, SignatureLength / rows, rows) >= 0.999)
                _rows = rows;
        }
        _bands = SignatureLength / _rows;
        _hasher = new MinHasher(_bands * _rows);
    }

    /// <summary>Chance that a pair at Jaccard <paramref name="similarity"/> shares at least one band.</summary>
    internal static double CandidateProbability(double similarity, int bands, int rows) =>
        1 - Math.Pow(1 - Math.Pow(similarity, rows), bands);

    internal int Bands => _bands;

    internal int Rows => _rows;

    public double Threshold { get; }

    /// <summary>Pairs (earlier, later) of near-duplicates within <paramref name="texts"/>, ordered by the later index.</summary>
    public IReadOnlyList<SimilarPair> FindPairs(IReadOnlyList<string> texts)
    {
        var items = Prepare(texts);
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        var candidates = new HashSet<(int, int)>();
        for (var i = 0; i < items.Length; i++)
        {
            if (items[i].Shingles.Count == 0)
                continue;
            for (var band = 0; band < _bands; band++)
            {
                var key = (band, BandKey(items[i].Signature, band));
                if (!buckets.TryGetValue(key, out var members))
                    buckets[key] = members = [];
                foreach (var j in members)
                    candidates.Add((j, i));
                members.Add(i);
            }
        }
        return Confirm(candidates, items, items);
    }

    /// <summary>For each query, the corpus texts it nearly duplicates (pairs are (corpus index, query index)).</summary>
    public IReadOnlyList<SimilarPair> FindMatches(IReadOnlyList<string> corpus, IReadOnlyList<string> queries)
    {
        var corpusItems = Prepare(corpus);
        var queryItems = Prepare(queries);
        var buckets = new Dictionary<(int Band, ulong Key), List<int>>();
        for (var i = 0; i < corpusItems.Length; i++)
        {
            if (corpusItems[i].Shingles.Count == 0)
                continue;
            for (var band = 0; band < _bands; band++)
            {
                var key = (band, BandKey(corpusItems[i].Signature, band));
                if (!buckets.TryGetValue(key, out var members))
                    buckets[key] = members = [];
                members.Add(i);
            }
        }
        var candidates = new HashSet<(int, int)>();
        for (var q = 0; q < queryItems.Length; q++)
        {
            if (queryItems[q].Shingles.Count == 0)
                continue;
            for (var band = 0; band < _bands; band++)
            {
                if (buckets.TryGetValue((band, BandKey(queryItems[q].Signature, band)), out var members))
                {
                    foreach (var c in members)
                        candidates.Add((c, q));
                }
            }
        }
        return Confirm(candidates, corpusItems, queryItems);
    }

    /// <summary>Exact Jaccard similarity of two texts after normalisation (for tests and reports).</summary>
    public double Similarity(string a, string b) => MinHasher.Jaccard(
        _hasher.Shingles(SimilarityNormalizer.Normalize(a)), _hasher.Shingles(SimilarityNormalizer.Normalize(b)));

    private List<SimilarPair> Confirm(HashSet<(int, int)> candidates, Item[] first, Item[] second)
    {
        var pairs = new List<SimilarPair>();
        foreach (var (a, b) in candidates)
        {
            var jaccard = MinHasher.Jaccard(first[a].Shingles, second[b].Shingles);
            if (jaccard >= Threshold)
                pairs.Add(new SimilarPair(a, b, jaccard));
        }
        pairs.Sort((x, y) => x.Second != y.Second ? x.Second.CompareTo(y.Second) : x.First.CompareTo(y.First));
        return pairs;
    }

    private Item[] Prepare(IReadOnlyList<string> texts)
    {
        var items = new Item[texts.Count];
        for (var i = 0; i < texts.Count; i++)
        {
            var shingles = _hasher.Shingles(SimilarityNormalizer.Normalize(texts[i]));
            items[i] = new Item(shingles, _hasher.Signature(shingles));
        }
        return items;
    }

    private ulong BandKey(ulong[] signature, int band)
    {
        var key = 14695981039346656037UL;
        for (var r = 0; r < _rows; r++)
        {
            key ^= signature[band * _rows + r];
            key *= 1099511628211UL;
        }
        return key;
    }

    private sealed record Item(HashSet<ulong> Shingles, ulong[] Signature);
}
