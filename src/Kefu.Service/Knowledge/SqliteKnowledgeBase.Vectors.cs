using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Kefu.Service.Knowledge;

/// <summary>
/// The dense side: chunk vectors in <c>kb_vectors</c> (float32 blobs keyed by chunk id, with the model and a hash of
/// the embedded text), embedded at import, reused for an unchanged chunk when its file is re-imported, and filled in
/// later for chunks that were imported while the embeddings server was down or before one was configured.
/// </summary>
public sealed partial class SqliteKnowledgeBase
{
    private const int BackfillBatch = 256;
    private readonly DenseIndexCache _denseIndex = new();
    private readonly BackgroundBackfill _backfill = new();

    /// <inheritdoc/>
    public long EmbeddedTexts => _embedding.EmbeddedTexts;

    /// <inheritdoc/>
    public long EmbeddingFailures => _embedding.Failures;

    /// <summary>
    /// Embeds every chunk that has no vector from the current model. Returns how many were embedded; 0 when dense
    /// retrieval is off. A failing embeddings server is logged and counted, not thrown: BM25 still answers.
    /// </summary>
    public Task<int> EmbedMissingAsync(CancellationToken cancellationToken) => _embedding.EmbedPendingAsync(
        model => ReadUnembeddedAsync(model, cancellationToken),
        (model, pending, vectors) => StoreBackfilledAsync(model, pending, vectors, cancellationToken),
        cancellationToken);

    /// <summary>Up to <see cref="BackfillBatch"/> chunks with no vector from <paramref name="model"/>, with their embedded text.</summary>
    private async Task<List<(long Id, string Text)>> ReadUnembeddedAsync(string model, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT c.id, c.title, c.text FROM kb_chunks c
            LEFT JOIN kb_vectors v ON v.chunk_id = c.id AND v.model = $model
            WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT $limit
            """;
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$limit", BackfillBatch);
        var pending = new List<(long Id, string Text)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            pending.Add((reader.GetInt64(0), EmbeddingCalls.EmbeddedText(reader.GetString(1), reader.GetString(2))));
        return pending;
    }

    private async Task StoreBackfilledAsync(string model, List<(long Id, string Text)> pending, IReadOnlyList<float[]> vectors, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var transaction = connection.BeginTransaction();
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            // The chunk may have been replaced meanwhile by another importer: then its vector is not wanted.
            insert.CommandText = """
                INSERT OR REPLACE INTO kb_vectors (chunk_id, model, text_hash, vector)
                SELECT $id, $model, $hash, $vector WHERE EXISTS (SELECT 1 FROM kb_chunks WHERE id = $id)
                """;
            var id = insert.Parameters.Add("$id", SqliteType.Integer);
            insert.Parameters.AddWithValue("$model", model);
            var hash = insert.Parameters.Add("$hash", SqliteType.Text);
            var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
            for (var i = 0; i < pending.Count; i++)
            {
                id.Value = pending[i].Id;
                hash.Value = EmbeddingCalls.TextHash(pending[i].Text);
                vector.Value = VectorBlob.Encode(vectors[i]);
                await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        await BumpGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Vectors for a source's new chunks as float32 blobs (see <see cref="EmbeddingCalls.PrepareAsync"/>).</summary>
    private Task<PreparedVectors<byte[]>?> PrepareVectorsAsync(string sourceKey, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken) =>
        _embedding.PrepareAsync(chunks, async model =>
        {
            await using var connection = OpenConnection();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT v.text_hash, v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id
                WHERE c.source_key = $key AND v.model = $model
                """;
            command.Parameters.AddWithValue("$key", sourceKey);
            command.Parameters.AddWithValue("$model", model);
            var known = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                known.TryAdd(reader.GetString(0), (byte[])reader.GetValue(1));
            return known;
        }, VectorBlob.Encode, cancellationToken);

    private Task<DenseIndex> GetDenseIndexAsync(SqliteConnection connection, long generation, long documentCount, CancellationToken cancellationToken)
    {
        var model = _dense!.Source.ModelId;
        return _denseIndex.GetAsync(generation, model, documentCount, () => DenseIndex.LoadAsync(connection, generation, model, cancellationToken), StartBackfill);
    }

    /// <summary>
    /// Embeds, in the background, chunks that another process imported without embeddings (<c>kefu kb import</c>
    /// without --embeddings while the server runs), so they join dense retrieval without a restart. One at a time;
    /// tried again at the next generation, so a server that is down costs one failed call per import, not per search.
    /// </summary>
    private void StartBackfill() => _backfill.Start(
        () => EmbedMissingAsync(CancellationToken.None),
        e => e is SqliteException or IOException or InvalidOperationException,
        e => LogBackfillFailed(e.Message));

    private static async Task InsertVectorAsync(
        SqliteConnection connection, SqliteTransaction transaction, long chunkId, PreparedVectors<byte[]> vectors, int index, CancellationToken cancellationToken)
    {
        if (vectors.Vectors[index] is not { } blob)
            return;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO kb_vectors (chunk_id, model, text_hash, vector) VALUES ($id, $model, $hash, $vector)";
        command.Parameters.AddWithValue("$id", chunkId);
        command.Parameters.AddWithValue("$model", vectors.Model);
        command.Parameters.AddWithValue("$hash", vectors.Hashes[index]);
        command.Parameters.AddWithValue("$vector", blob);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task BumpGenerationAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO kb_meta (key, value) VALUES ('generation', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1";
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Filling in missing chunk embeddings failed: {Error}")]
    private partial void LogBackfillFailed(string error);
}
