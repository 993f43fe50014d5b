using Kefu.Service.Knowledge;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Chunk embeddings in PostgreSQL (<c>kb_vectors.vector real[]</c>), as SqliteKnowledgeBase.Vectors keeps them in
/// SQLite: a chunk whose text is unchanged keeps its vector on re-import; chunks imported without one (embeddings
/// server down, another process importing without --embeddings) are filled in later. Nearest chunks are found
/// exactly (cosine over every vector of the model, see <see cref="DenseIndex"/>), as the SQLite store does,
/// or with pgvector's HNSW index when the database has the extension (<see cref="PgvectorSearch"/>).
/// </summary>
public sealed partial class PostgresKnowledgeBase
{
    private const int BackfillBatch = 256;
    private readonly PgvectorSearch _pgvector = new();
    private readonly DenseIndexCache _denseIndex = new();
    private readonly BackgroundBackfill _backfill = new();
    private long _checkedGeneration = -1;

    /// <summary>
    /// Whether nearest-chunk search uses pgvector when the database has it (the default); false keeps the exact
    /// in-process search (for comparing the two).
    /// </summary>
    public bool UseVectorExtension { get; init; } = true;

    /// <inheritdoc/>
    public long EmbeddedTexts => _embedding.EmbeddedTexts;

    /// <inheritdoc/>
    public long EmbeddingFailures => _embedding.Failures;

    public Task<int> EmbedMissingAsync(CancellationToken cancellationToken) => _embedding.EmbedPendingAsync(
        model => _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT c.id, c.title, c.text FROM kb_chunks c
                LEFT JOIN kb_vectors v ON v.chunk_id = c.id AND v.model = @model
                WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT @limit
                """, connection);
            command.Parameters.AddWithValue("model", model);
            command.Parameters.AddWithValue("limit", BackfillBatch);
            var rows = new List<(long Id, string Text)>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                rows.Add((reader.GetInt64(0), EmbeddingCalls.EmbeddedText(reader.GetString(1), reader.GetString(2))));
            return rows;
        }, cancellationToken),
        (model, pending, vectors) => _database.RunAsync(async connection =>
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using var batch = new NpgsqlBatch(connection, transaction);
            for (var i = 0; i < pending.Count; i++)
            {
                // The chunk may have been replaced meanwhile by another importer: then its vector is not wanted.
                var insert = new NpgsqlBatchCommand("""
                    INSERT INTO kb_vectors (chunk_id, model, text_hash, dimensions, vector)
                    SELECT @id, @model, @hash, @dimensions, @vector WHERE EXISTS (SELECT 1 FROM kb_chunks WHERE id = @id)
                    ON CONFLICT (chunk_id) DO UPDATE SET model = excluded.model, text_hash = excluded.text_hash,
                        dimensions = excluded.dimensions, vector = excluded.vector
                    """);
                insert.Parameters.AddWithValue("id", pending[i].Id);
                insert.Parameters.AddWithValue("model", model);
                insert.Parameters.AddWithValue("hash", EmbeddingCalls.TextHash(pending[i].Text));
                insert.Parameters.AddWithValue("dimensions", vectors[i].Length);
                insert.Parameters.AddWithValue("vector", vectors[i]);
                batch.BatchCommands.Add(insert);
            }
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await BumpGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }, cancellationToken),
        cancellationToken);

    /// <summary>Vectors for a source's new chunks as real[] (see <see cref="EmbeddingCalls.PrepareAsync"/>).</summary>
    private Task<PreparedVectors<float[]>?> PrepareVectorsAsync(string sourceKey, IReadOnlyList<Service.Knowledge.KnowledgeChunk> chunks, CancellationToken cancellationToken) =>
        _embedding.PrepareAsync(chunks, model => _database.RunAsync(async connection =>
        {
            await using var command = new NpgsqlCommand("""
                SELECT v.text_hash, v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id
                WHERE c.source_key = @key AND v.model = @model
                """, connection);
            command.Parameters.AddWithValue("key", sourceKey);
            command.Parameters.AddWithValue("model", model);
            var found = new Dictionary<string, float[]>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                found.TryAdd(reader.GetString(0), reader.GetFieldValue<float[]>(1));
            return found;
        }, cancellationToken), vector => vector, cancellationToken);

    private async Task InsertVectorsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, long[] ids, PreparedVectors<float[]> vectors, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        for (var i = 0; i < ids.Length; i++)
        {
            if (vectors.Vectors[i] is not { } vector)
                continue;
            var insert = new NpgsqlBatchCommand("INSERT INTO kb_vectors (chunk_id, model, text_hash, dimensions, vector) VALUES (@id, @model, @hash, @dimensions, @vector)");
            insert.Parameters.AddWithValue("id", ids[i]);
            insert.Parameters.AddWithValue("model", vectors.Model);
            insert.Parameters.AddWithValue("hash", vectors.Hashes[i]);
            insert.Parameters.AddWithValue("dimensions", vector.Length);
            insert.Parameters.AddWithValue("vector", vector);
            batch.BatchCommands.Add(insert);
        }
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private Task<DenseIndex> GetVectorIndexAsync(NpgsqlConnection connection, long generation, long documentCount, CancellationToken cancellationToken)
    {
        var model = _dense!.Source.ModelId;
        return _denseIndex.GetAsync(generation, model, documentCount, () => PostgresVectorIndex.LoadAsync(connection, generation, model, cancellationToken), StartBackfill);
    }

    /// <summary>Once per generation (pgvector path): starts the backfill when some chunks lack a vector of the model.</summary>
    private async Task BackfillWhenIncompleteAsync(NpgsqlConnection connection, long generation, long documentCount, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _checkedGeneration, generation) == generation)
            return;
        await using var command = new NpgsqlCommand("SELECT count(*) FROM kb_vectors WHERE model = @model", connection);
        command.Parameters.AddWithValue("model", _dense!.Source.ModelId);
        if ((long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! < documentCount)
            StartBackfill();
    }

    /// <summary>Embeds, in the background, chunks that another process or replica imported without embeddings.</summary>
    private void StartBackfill() => _backfill.Start(
        () => EmbedMissingAsync(CancellationToken.None),
        e => e is NpgsqlException or IOException or InvalidOperationException,
        e => LogBackfillFailed(e.Message));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Filling in missing chunk embeddings failed: {Error}")]
    private partial void LogBackfillFailed(string error);
}
