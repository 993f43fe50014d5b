using Kefu.Data.Dedup;
using Kefu.Safety.Pii;

namespace Kefu.Evaluation.Analytics;

/// <summary>
/// Groups unanswered questions by character-bigram Jaccard similarity (single link: two questions share a cluster
/// when a chain of similar questions joins them). Bigrams, not the 3-shingles of dedup, because customer questions are
/// short: "发票怎么开" and "怎么开发票" share 3 of 6 bigrams but 1 of 5 trigrams. O(n²) over distinct questions,
/// capped at <see cref="MaxQuestions"/> (the most frequent), which a day's or a month's unanswered turns fit.
/// </summary>
public sealed class QuestionClusterer(double threshold = 0.4)
{
    public const int MaxQuestions = 4000;
    private readonly MinHasher _bigrams = new(hashCount: 1, shingleSize: 2);

    public IReadOnlyList<QuestionCluster> Cluster(IReadOnlyList<(string SessionId, string Question)> questions)
    {
        ArgumentNullException.ThrowIfNull(questions);
        var distinct = questions.Where(q => !string.IsNullOrWhiteSpace(q.Question))
            .GroupBy(q => SimilarityNormalizer.Normalize(q.Question), StringComparer.Ordinal)
            .Select(g => (Key: g.Key, Text: g.First().Question, Count: g.Count(), Sessions: g.Select(x => x.SessionId).ToHashSet(StringComparer.Ordinal)))
            .Where(g => g.Key.Length > 0)
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxQuestions).ToList();
        var shingles = distinct.Select(d => _bigrams.Shingles(d.Key)).ToList();
        var parent = Enumerable.Range(0, distinct.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x)
                x = parent[x] = parent[parent[x]];
            return x;
        }
        var similarity = new Dictionary<(int, int), double>();
        for (var i = 0; i < distinct.Count; i++)
        {
            for (var j = i + 1; j < distinct.Count; j++)
            {
                var s = MinHasher.Jaccard(shingles[i], shingles[j]);
                if (s >= threshold)
                {
                    similarity[(i, j)] = s;
                    parent[Find(j)] = Find(i);
                }
            }
        }
        var clusters = new List<QuestionCluster>();
        foreach (var group in Enumerable.Range(0, distinct.Count).GroupBy(Find))
        {
            var members = group.ToList();
            // The representative: the member with the highest summed similarity to the others (ties: most asked).
            var representative = members.OrderByDescending(m => members.Where(o => o != m).Sum(o => similarity.GetValueOrDefault((Math.Min(m, o), Math.Max(m, o)))))
                .ThenByDescending(m => distinct[m].Count).First();
            clusters.Add(new QuestionCluster(
                PiiScanner.Default.Mask(distinct[representative].Text),
                members.Sum(m => distinct[m].Count),
                members.SelectMany(m => distinct[m].Sessions).Distinct(StringComparer.Ordinal).Count(),
                [.. members.OrderByDescending(m => distinct[m].Count).Take(5).Select(m => PiiScanner.Default.Mask(distinct[m].Text))]));
        }
        return [.. clusters.OrderByDescending(c => c.Size).ThenBy(c => c.Representative, StringComparer.Ordinal)];
    }
}
