using Kefu.Service.Knowledge;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Hybrid retrieval as on SQLite: the question's nearest chunks by embedding fused with the BM25 ranking by
/// Reciprocal Rank Fusion; a fused hit's confidence is the larger of its coverage and its calibrated cosine.
/// </summary>
public sealed partial class PostgresKnowledgeBase
{
    private async Task<IReadOnlyList<KnowledgeHit>> FuseWithDenseAsync(
        NpgsqlConnection connection, long generation, Question question, string query, List<KnowledgeHit> lexical, int limit, CancellationToken cancellationToken)
    {
        var queryVector = await EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (queryVector is null)
            return lexical.Take(limit).ToList();
        var nearest = await NearestAsync(connection, generation, question.DocumentCount, queryVector, cancellationToken).ConfigureAwait(false);
        if (nearest.Count == 0)
            return lexical.Take(limit).ToList();

        var hits = lexical.ToDictionary(h => h.Id);
        var denseOnly = nearest.Select(n => n.Id).Where(id => !hits.ContainsKey(id)).ToArray();
        if (denseOnly.Length > 0)
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

    /// <summary>The chunks nearest the question: in SQL with pgvector when the database has it, else exactly in process.</summary>
    private async Task<List<(long Id, double Similarity)>> NearestAsync(
        NpgsqlConnection connection, long generation, long documentCount, float[] queryVector, CancellationToken cancellationToken)
    {
        if (_database.HasVectorExtension && UseVectorExtension)
        {
            await BackfillWhenIncompleteAsync(connection, generation, documentCount, cancellationToken).ConfigureAwait(false);
            return await _pgvector.NearestAsync(connection, _dense!.Source.ModelId, queryVector, CandidateCount, cancellationToken).ConfigureAwait(false);
        }
        var index = await GetVectorIndexAsync(connection, generation, documentCount, cancellationToken).ConfigureAwait(false);
        return index.Nearest(queryVector, CandidateCount);
    }

    /// <summary>Chunks by id (those since removed are left out), with no BM25 score.</summary>
    private static async Task<List<KnowledgeHit>> LoadChunksAsync(NpgsqlConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT c.id, s.display_name, c.anchor, c.title, c.text, c.kind
            FROM kb_chunks c JOIN kb_sources s ON s.key = c.source_key WHERE c.id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", ids);
        var hits = new List<KnowledgeHit>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            hits.Add(ReadHit(reader, bm25: 0));
        return hits;
    }
}
