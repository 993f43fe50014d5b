using Kefu.Service.Knowledge;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Hybrid retrieval as on SQLite: the question's nearest chunks by embedding (pgvector or <see cref="DenseIndex"/>)
/// fused with the BM25 ranking by the shared <see cref="HybridFusion"/>.
/// </summary>
public sealed partial class PostgresKnowledgeBase
{
    private async Task<IReadOnlyList<KnowledgeHit>> FuseWithDenseAsync(
        NpgsqlConnection connection, long generation, SearchQuestion question, string query, List<KnowledgeHit> lexical, int limit, CancellationToken cancellationToken)
    {
        var queryVector = await _embedding.EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (queryVector is null)
            return lexical.Take(limit).ToList();
        var nearest = await NearestAsync(connection, generation, question.DocumentCount, queryVector, cancellationToken).ConfigureAwait(false);
        return await HybridFusion.FuseAsync(lexical, nearest, _dense!.Calibration, limit, async ids =>
        {
            var loaded = await LoadChunksAsync(connection, ids, cancellationToken).ConfigureAwait(false);
            return await Lexical(connection).ScoreAsync(question, loaded, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
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
