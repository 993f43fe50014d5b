using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Hybrid retrieval: the question's nearest chunks by embedding, fused with the BM25 ranking by Reciprocal Rank
/// Fusion. The confidence of a fused hit is the larger of its coverage (computed for dense-only hits too) and its
/// calibrated cosine, so the "I don't know" threshold keeps its meaning; when the embedding source fails, the
/// BM25 ranking is returned as it is.
/// </summary>
public sealed partial class SqliteKnowledgeBase
{
    private async Task<IReadOnlyList<KnowledgeHit>> FuseWithDenseAsync(
        SqliteConnection connection, long generation, Question question, string query, List<KnowledgeHit> lexical, int limit, CancellationToken cancellationToken)
    {
        var queryVector = await EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (queryVector is null)
            return lexical.Take(limit).ToList();
        var index = await GetDenseIndexAsync(connection, generation, question.DocumentCount, cancellationToken).ConfigureAwait(false);
        var nearest = index.Nearest(queryVector, CandidateCount);
        if (nearest.Count == 0)
            return lexical.Take(limit).ToList();

        var hits = lexical.ToDictionary(h => h.Id);
        var denseOnly = nearest.Select(n => n.Id).Where(id => !hits.ContainsKey(id)).ToList();
        if (denseOnly.Count > 0)
        {
            var loaded = await LoadChunksAsync(connection, denseOnly, cancellationToken).ConfigureAwait(false);
            foreach (var hit in await ScoreAsync(connection, question, loaded, cancellationToken).ConfigureAwait(false))
                hits[hit.Id] = hit;
        }
        var calibration = _dense!.Calibration;
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

    /// <summary>Chunks by id (those since removed are left out), with no BM25 score.</summary>
    private static async Task<List<KnowledgeHit>> LoadChunksAsync(SqliteConnection connection, List<long> ids, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c.id, s.display_name, c.anchor, c.title, c.text, c.kind
            FROM kb_chunks c JOIN kb_sources s ON s.key = c.source_key
            WHERE c.id IN ({Parameters(command, "id", ids.ConvertAll(id => id.ToString(CultureInfo.InvariantCulture)))})
            """;
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hits.Add(new KnowledgeHit(
                reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                (KnowledgeChunkKind)reader.GetInt32(5), Confidence: 0, Bm25: 0));
        }
        return hits;
    }

    /// <summary>A question as the scorers need it: its runs and match terms, and the statistics of this generation.</summary>
    private sealed record Question(List<TextRun> Runs, List<string> Terms, TermStatisticsCache.Generation Cache, long DocumentCount);
}
