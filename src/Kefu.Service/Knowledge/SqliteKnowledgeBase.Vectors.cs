using System.Security.Cryptography;
using System.Text;
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
    private DenseIndex? _denseIndex;
    private long _embeddedTexts;
    private long _embeddingFailures;
    private int _backfilling;

    /// <summary>Chunk and query texts sent to the embedding source so far (by this instance).</summary>
    public long EmbeddedTexts => Interlocked.Read(ref _embeddedTexts);

    /// <summary>Embedding calls that failed, after which this instance went on with BM25 alone.</summary>
    public long EmbeddingFailures => Interlocked.Read(ref _embeddingFailures);

    /// <summary>
    /// Embeds every chunk that has no vector from the current model. Returns how many were embedded; 0 when dense
    /// retrieval is off. A failing embeddings server is logged and counted, not thrown: BM25 still answers.
    /// </summary>
    public async Task<int> EmbedMissingAsync(CancellationToken cancellationToken)
    {
        if (_dense is null)
            return 0;
        var done = 0;
        while (true)
        {
            await using var connection = OpenConnection();
            var pending = new List<(long Id, string Text)>();
            await using (var command = connection.CreateCommand())
            {
                command.CommandText = """
                    SELECT c.id, c.title, c.text FROM kb_chunks c
                    LEFT JOIN kb_vectors v ON v.chunk_id = c.id AND v.model = $model
                    WHERE v.chunk_id IS NULL ORDER BY c.id LIMIT $limit
                    """;
                command.Parameters.AddWithValue("$model", _dense.Source.ModelId);
                command.Parameters.AddWithValue("$limit", BackfillBatch);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    pending.Add((reader.GetInt64(0), EmbeddedText(reader.GetString(1), reader.GetString(2))));
            }
            if (pending.Count == 0)
                return done;
            var vectors = await TryEmbedAsync(pending.ConvertAll(p => p.Text), "import", cancellationToken).ConfigureAwait(false);
            if (vectors is null)
                return done;
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
                insert.Parameters.AddWithValue("$model", _dense.Source.ModelId);
                var hash = insert.Parameters.Add("$hash", SqliteType.Text);
                var vector = insert.Parameters.Add("$vector", SqliteType.Blob);
                for (var i = 0; i < pending.Count; i++)
                {
                    id.Value = pending[i].Id;
                    hash.Value = TextHash(pending[i].Text);
                    vector.Value = VectorBlob.Encode(vectors[i]);
                    await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            await BumpGenerationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            done += pending.Count;
        }
    }

    /// <summary>
    /// Vectors for a source's new chunks (null entries where none could be made): an unchanged chunk keeps the vector
    /// it already has (matched by the hash of its text), only new or changed chunks go to the embedding source.
    /// Null when dense retrieval is off.
    /// </summary>
    private async Task<PreparedVectors?> PrepareVectorsAsync(string sourceKey, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken)
    {
        if (_dense is null)
            return null;
        var hashes = chunks.Select(c => TextHash(EmbeddedText(c.Title, c.Text))).ToArray();
        var known = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        await using (var connection = OpenConnection())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT v.text_hash, v.vector FROM kb_vectors v JOIN kb_chunks c ON c.id = v.chunk_id
                WHERE c.source_key = $key AND v.model = $model
                """;
            command.Parameters.AddWithValue("$key", sourceKey);
            command.Parameters.AddWithValue("$model", _dense.Source.ModelId);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                known.TryAdd(reader.GetString(0), (byte[])reader.GetValue(1));
        }
        var blobs = hashes.Select(h => known.GetValueOrDefault(h)).ToArray();
        var missing = Enumerable.Range(0, chunks.Count).Where(i => blobs[i] is null).ToList();
        if (missing.Count > 0)
        {
            var vectors = await TryEmbedAsync(missing.ConvertAll(i => EmbeddedText(chunks[i].Title, chunks[i].Text)), "import", cancellationToken).ConfigureAwait(false);
            for (var j = 0; vectors is not null && j < missing.Count; j++)
                blobs[missing[j]] = VectorBlob.Encode(vectors[j]);
        }
        return new PreparedVectors(_dense.Source.ModelId, hashes, blobs);
    }

    /// <summary>The query's vector, or null (logged and counted) when the embedding source fails.</summary>
    private async Task<float[]?> EmbedQueryAsync(string query, CancellationToken cancellationToken) =>
        (await TryEmbedAsync([query], "query", cancellationToken).ConfigureAwait(false))?[0];

    private async Task<IReadOnlyList<float[]>?> TryEmbedAsync(List<string> texts, string stage, CancellationToken cancellationToken)
    {
        var dense = _dense!;
        try
        {
            var vectors = await dense.Source.EmbedAsync(texts, cancellationToken).ConfigureAwait(false);
            if (vectors.Count != texts.Count)
                throw new InvalidDataException($"{vectors.Count} vectors for {texts.Count} texts");
            Interlocked.Add(ref _embeddedTexts, texts.Count);
            return vectors;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever broke (server down, timeout, malformed reply), the customer is still answered by BM25.
            Interlocked.Increment(ref _embeddingFailures);
            _denseMetrics?.Failed(stage);
            LogEmbeddingFailed(stage, dense.Source.ModelId, e.Message);
            return null;
        }
    }

    private async Task<DenseIndex> GetDenseIndexAsync(SqliteConnection connection, long generation, long documentCount, CancellationToken cancellationToken)
    {
        var model = _dense!.Source.ModelId;
        if (Volatile.Read(ref _denseIndex) is { } current && current.Generation == generation && current.Model == model)
            return current;
        // Searches racing past a new generation may each load it once; that is cheaper than making every search wait.
        var index = await DenseIndex.LoadAsync(connection, generation, model, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _denseIndex, index);
        if (index.Count < documentCount)
            StartBackfill();
        return index;
    }

    /// <summary>
    /// Embeds, in the background, chunks that another process imported without embeddings (<c>kefu kb import</c>
    /// without --embeddings while the server runs), so they join dense retrieval without a restart. One at a time;
    /// tried again at the next generation, so a server that is down costs one failed call per import, not per search.
    /// </summary>
    private void StartBackfill()
    {
        if (Interlocked.Exchange(ref _backfilling, 1) == 1)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await EmbedMissingAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SqliteException or IOException or InvalidOperationException)
            {
                LogBackfillFailed(e.Message);
            }
            finally
            {
                Volatile.Write(ref _backfilling, 0);
            }
        });
    }

    private static async Task InsertVectorAsync(
        SqliteConnection connection, SqliteTransaction transaction, long chunkId, PreparedVectors vectors, int index, CancellationToken cancellationToken)
    {
        if (vectors.Blobs[index] is not { } blob)
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

    /// <summary>What is embedded for a chunk: its title (heading path or FAQ question) and its text.</summary>
    private static string EmbeddedText(string title, string text) => title + "\n" + text;

    private static string TextHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding ({Stage}) with {Model} failed, using BM25 alone: {Error}")]
    private partial void LogEmbeddingFailed(string stage, string model, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Filling in missing chunk embeddings failed: {Error}")]
    private partial void LogBackfillFailed(string error);

    private sealed record PreparedVectors(string Model, string[] Hashes, byte[]?[] Blobs);
}
