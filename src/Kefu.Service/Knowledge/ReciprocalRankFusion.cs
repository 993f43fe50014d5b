namespace Kefu.Service.Knowledge;

/// <summary>
/// Reciprocal Rank Fusion (Cormack, Clarke and Büttcher, SIGIR 2009): each ranking gives an item 1/(k + rank), rank
/// counted from 1, and the sums decide. It needs no score normalisation between BM25 and cosine, and k = 60 (the
/// paper's value) keeps one ranking's top item from outweighing agreement between rankings.
/// </summary>
internal static class ReciprocalRankFusion
{
    public const int K = 60;

    /// <summary>Every item of the rankings with its fused score.</summary>
    public static Dictionary<long, double> Scores(params IReadOnlyList<long>[] rankings)
    {
        var scores = new Dictionary<long, double>();
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
                scores[ranking[i]] = scores.GetValueOrDefault(ranking[i]) + (1.0 / (K + i + 1));
        }
        return scores;
    }

    /// <summary>The items by fused score, best first; ties go to the item ranked higher anywhere, then the lower id.</summary>
    public static List<long> Fuse(params IReadOnlyList<long>[] rankings)
    {
        var scores = Scores(rankings);
        var bestRank = new Dictionary<long, int>();
        foreach (var ranking in rankings)
        {
            for (var i = 0; i < ranking.Count; i++)
                bestRank[ranking[i]] = Math.Min(bestRank.GetValueOrDefault(ranking[i], int.MaxValue), i);
        }
        return scores.Keys.OrderByDescending(id => scores[id]).ThenBy(id => bestRank[id]).ThenBy(id => id).ToList();
    }
}
