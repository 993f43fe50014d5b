using Kefu.Service.Embeddings;

namespace Kefu.Service.Knowledge;

/// <summary>
/// The store-independent half of hybrid retrieval, shared by the SQLite and PostgreSQL knowledge bases: the
/// question's nearest chunks by embedding are fused with the BM25 ranking by <see cref="ReciprocalRankFusion"/>. The
/// confidence of a fused hit is the larger of its coverage (computed for dense-only hits too) and its calibrated
/// cosine, so the "I don't know" threshold keeps its meaning.
/// </summary>
internal static class HybridFusion
{
    /// <summary>
    /// The fused ranking cut to <paramref name="limit"/>; the lexical ranking as it is when nothing is near.
    /// <paramref name="loadAndScore"/> loads the nearest chunks the lexical ranking lacks (by id; removed ones are
    /// left out) with their coverage confidences.
    /// </summary>
    public static async Task<List<KnowledgeHit>> FuseAsync(
        List<KnowledgeHit> lexical, List<(long Id, double Similarity)> nearest, DenseCalibration calibration, int limit,
        Func<long[], Task<List<KnowledgeHit>>> loadAndScore)
    {
        if (nearest.Count == 0)
            return lexical.Take(limit).ToList();

        var hits = lexical.ToDictionary(h => h.Id);
        var denseOnly = nearest.Select(n => n.Id).Where(id => !hits.ContainsKey(id)).ToArray();
        if (denseOnly.Length > 0)
        {
            foreach (var hit in await loadAndScore(denseOnly).ConfigureAwait(false))
                hits[hit.Id] = hit;
        }
        foreach (var (id, similarity) in nearest)
        {
            if (hits.TryGetValue(id, out var hit))
                hits[id] = hit with { Similarity = similarity, Confidence = Math.Max(hit.Confidence, calibration.Confidence(similarity)) };
        }

        var fused = ReciprocalRankFusion.Scores(lexical.ConvertAll(h => h.Id), nearest.ConvertAll(n => n.Id));
        return hits.Values
            .OrderByDescending(h => fused.GetValueOrDefault(h.Id))
            .ThenByDescending(h => h.Confidence)
            .ThenBy(h => h.Id)
            .Take(limit)
            .ToList();
    }
}
