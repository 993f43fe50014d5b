using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The knowledge base in PostgreSQL, shared by every replica, ranking exactly as <see cref="SqliteKnowledgeBase"/>:
/// the same bigram terms (<c>SearchText</c>) go into a postings table with per-column term frequencies, and BM25
/// is computed in SQL with FTS5's formula and weights (title 2, body 1, k1 1.2, b 0.75), so candidates, coverage
/// confidences and thus the "I don't know" threshold mean the same on both stores. PostgreSQL's own full-text
/// search was not used: its ts_rank is not BM25 and has no CJK parser, so the calibrated thresholds would not hold.
/// Chunk vectors are stored as <c>real[]</c> and searched exactly in process, or with pgvector's HNSW index when the
/// database has that extension (see PostgresKnowledgeBase.Vectors).
/// </summary>
public sealed partial class PostgresKnowledgeBase : IKnowledgeBase, IEmbeddingCounters
{
    /// <summary>Longest term indexed, in characters: a longer "word" (a pasted hash, a URL) is not something customers type.</summary>
    internal const int MaxTermLength = 128;

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly DenseRetrieval? _dense;
    private readonly DenseRetrievalMetrics? _denseMetrics;
    private readonly ILogger _logger;
    private readonly EmbeddingCalls _embedding;

    public PostgresKnowledgeBase(
        PostgresDatabase database, TimeProvider? time = null, DenseRetrieval? dense = null, DenseRetrievalMetrics? denseMetrics = null, ILogger? logger = null)
    {
        _database = database;
        _time = time ?? TimeProvider.System;
        _dense = dense;
        _denseMetrics = denseMetrics;
        _logger = logger ?? NullLogger.Instance;
        _embedding = new EmbeddingCalls(dense, denseMetrics, _logger);
    }

    /// <summary>Whether questions are also matched by embeddings (hybrid retrieval).</summary>
    public bool IsHybrid => _dense is not null;

    /// <summary>How many BM25 candidates are re-ranked by coverage.</summary>
    public int CandidateCount { get; init; } = 20;

    public async Task ReplaceSourceAsync(KnowledgeSource source, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken)
    {
        // Embedding is slow and remote: done before the transaction, and only for new or changed chunks.
        var vectors = await PrepareVectorsAsync(source.Key, chunks, cancellationToken).ConfigureAwait(false);
        var indexed = chunks.Select(IndexedChunk.From).ToList();
        await _database.RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            // Importers of the same file (two replicas starting together) take turns: otherwise each would delete
            // only the chunks committed before it began and both versions' chunks would remain.
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended(@key, 0))", cancellationToken, ("key", source.Key))
                .ConfigureAwait(false);
            await DeleteChunksAsync(connection, transaction, source.Key, cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, """
                INSERT INTO kb_sources (key, display_name, content_hash, chunk_count, token_count, imported_at)
                VALUES (@key, @name, @hash, @count, @tokens, @at)
                ON CONFLICT (key) DO UPDATE SET display_name = excluded.display_name, content_hash = excluded.content_hash,
                    chunk_count = excluded.chunk_count, token_count = excluded.token_count, imported_at = excluded.imported_at
                """, cancellationToken, ("key", source.Key), ("name", source.DisplayName), ("hash", source.ContentHash), ("count", chunks.Count),
                ("tokens", indexed.Sum(c => (long)c.TermCount)), ("at", _time.GetUtcNow().ToUniversalTime())).ConfigureAwait(false);
            if (chunks.Count > 0)
            {
                var ids = await AllocateIdsAsync(connection, transaction, chunks.Count, cancellationToken).ConfigureAwait(false);
                await InsertChunksAsync(connection, transaction, source.Key, chunks, indexed, ids, cancellationToken).ConfigureAwait(false);
                if (vectors is not null)
                    await InsertVectorsAsync(connection, transaction, ids, vectors, cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public Task<string?> GetSourceHashAsync(string sourceKey, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT content_hash FROM kb_sources WHERE key = @key", connection);
            command.Parameters.AddWithValue("key", sourceKey);
            return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public Task<bool> RemoveSourceAsync(string sourceKey, CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await DeleteChunksAsync(connection, transaction, sourceKey, cancellationToken).ConfigureAwait(false);
            var removed = await ExecuteAsync(connection, transaction, "DELETE FROM kb_sources WHERE key = @key", cancellationToken, ("key", sourceKey))
                .ConfigureAwait(false) > 0;
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return removed;
        }, cancellationToken);

    public Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken) =>
        _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("SELECT count(*), coalesce(sum(chunk_count), 0) FROM kb_sources", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new KnowledgeStats((int)reader.GetInt64(0), (int)reader.GetInt64(1));
        }, cancellationToken);

    private static async Task DeleteChunksAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sourceKey, CancellationToken cancellationToken)
    {
        // Postings and vectors go with their chunks (ON DELETE CASCADE).
        await ExecuteAsync(connection, transaction, "DELETE FROM kb_chunks WHERE source_key = @key", cancellationToken, ("key", sourceKey)).ConfigureAwait(false);
        await BumpGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
    }

    private static Task BumpGenerationAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction,
            "INSERT INTO kb_meta (key, value) VALUES ('generation', 1) ON CONFLICT (key) DO UPDATE SET value = kb_meta.value + 1", cancellationToken);

    private static async Task<long[]> AllocateIdsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, int count, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT nextval(pg_get_serial_sequence('kb_chunks', 'id')) FROM generate_series(1, @count)", connection, transaction);
        command.Parameters.AddWithValue("count", count);
        var ids = new List<long>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            ids.Add(reader.GetInt64(0));
        return [.. ids];
    }

    private static async Task InsertChunksAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sourceKey, IReadOnlyList<KnowledgeChunk> chunks, List<IndexedChunk> indexed,
        long[] ids, CancellationToken cancellationToken)
    {
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO kb_chunks (id, source_key, anchor, title, text, kind, term_count) OVERRIDING SYSTEM VALUE
            SELECT id, @key, anchor, title, text, kind, term_count
            FROM unnest(@ids, @anchors, @titles, @texts, @kinds, @term_counts) AS c(id, anchor, title, text, kind, term_count)
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("key", sourceKey);
            insert.Parameters.AddWithValue("ids", ids);
            insert.Parameters.AddWithValue("anchors", chunks.Select(c => PostgresText.Clean(c.Anchor)).ToArray());
            insert.Parameters.AddWithValue("titles", chunks.Select(c => PostgresText.Clean(c.Title)).ToArray());
            insert.Parameters.AddWithValue("texts", chunks.Select(c => PostgresText.Clean(c.Text)).ToArray());
            insert.Parameters.AddWithValue("kinds", chunks.Select(c => (int)c.Kind).ToArray());
            insert.Parameters.AddWithValue("term_counts", indexed.Select(c => c.TermCount).ToArray());
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var postings = indexed.SelectMany((chunk, i) => chunk.Postings.Select(p => (Id: ids[i], p.Term, p.TitleCount, p.BodyCount))).ToList();
        await using var postingsInsert = new NpgsqlCommand("""
            INSERT INTO kb_postings (term, chunk_id, title_tf, body_tf) SELECT * FROM unnest(@terms, @ids, @title_tf, @body_tf)
            """, connection, transaction);
        postingsInsert.Parameters.Add(new NpgsqlParameter("terms", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = postings.Select(p => p.Term).ToArray() });
        postingsInsert.Parameters.AddWithValue("ids", postings.Select(p => p.Id).ToArray());
        postingsInsert.Parameters.AddWithValue("title_tf", postings.Select(p => p.TitleCount).ToArray());
        postingsInsert.Parameters.AddWithValue("body_tf", postings.Select(p => p.BodyCount).ToArray());
        await postingsInsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, PostgresText.Value(value));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
