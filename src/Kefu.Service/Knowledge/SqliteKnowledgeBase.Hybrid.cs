using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Knowledge;

/// <summary>
/// Hybrid retrieval: the question's nearest chunks by embedding (<see cref="DenseIndex"/>), fused with the BM25
/// ranking as <see cref="HybridFusion"/> does for every store; when the embedding source fails, the BM25 ranking is
/// returned as it is.
/// </summary>
public sealed partial class SqliteKnowledgeBase
{
    private async Task<IReadOnlyList<KnowledgeHit>> FuseWithDenseAsync(
        SqliteConnection connection, long generation, SearchQuestion question, string query, List<KnowledgeHit> lexical, int limit, CancellationToken cancellationToken)
    {
        var queryVector = await _embedding.EmbedQueryAsync(query, cancellationToken).ConfigureAwait(false);
        if (queryVector is null)
            return lexical.Take(limit).ToList();
        var index = await GetDenseIndexAsync(connection, generation, question.DocumentCount, cancellationToken).ConfigureAwait(false);
        var nearest = index.Nearest(queryVector, CandidateCount);
        return await HybridFusion.FuseAsync(lexical, nearest, _dense!.Calibration, limit, async ids =>
        {
            var loaded = await LoadChunksAsync(connection, ids, cancellationToken).ConfigureAwait(false);
            return await Lexical(connection).ScoreAsync(question, loaded, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <summary>Chunks by id (those since removed are left out), with no BM25 score.</summary>
    private static async Task<List<KnowledgeHit>> LoadChunksAsync(SqliteConnection connection, long[] ids, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT c.id, s.display_name, c.anchor, c.title, c.text, c.kind
            FROM kb_chunks c JOIN kb_sources s ON s.key = c.source_key
            WHERE c.id IN ({Parameters(command, "id", Array.ConvertAll(ids, id => id.ToString(CultureInfo.InvariantCulture)).ToList())})
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
}
