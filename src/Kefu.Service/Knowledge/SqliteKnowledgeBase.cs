using System.Globalization;
using Kefu.Service.Embeddings;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Service.Knowledge;

/// <summary>
/// The knowledge base on SQLite FTS5: chunks in a table, their bigram-segmented text in an FTS5 index ranked with
/// bm25() (title/question column weighted above the body), and <see cref="AnswerCoverage"/> re-ranking the top
/// candidates into a confidence. FTS5 was chosen over Lucene.Net because Lucene.Net 4.8 is still a beta, while
/// SQLite is already the service's embedded store: one file, transactional updates that a running server sees at
/// its next query (so <c>kefu kb import</c> needs no restart), and WAL lets readers and the importer work at once.
/// With <see cref="DenseRetrieval"/> configured, chunk vectors are kept beside the chunks and a question's nearest
/// chunks are fused with the BM25 ranking by <see cref="ReciprocalRankFusion"/>.
/// </summary>
public sealed partial class SqliteKnowledgeBase : IKnowledgeBase
{
    private readonly string _connectionString;

    private readonly TimeProvider _time;
    private readonly DenseRetrieval? _dense;
    private readonly DenseRetrievalMetrics? _denseMetrics;
    private readonly ILogger _logger;
    private readonly EmbeddingCalls _embedding;

    private SqliteKnowledgeBase(string connectionString, TimeProvider time, DenseRetrieval? dense, DenseRetrievalMetrics? denseMetrics, ILogger logger)
    {
        _connectionString = connectionString;
        _time = time;
        _dense = dense;
        _denseMetrics = denseMetrics;
        _logger = logger;
        _embedding = new EmbeddingCalls(dense, denseMetrics, _logger);
    }

    /// <summary>Whether questions are also matched by embeddings (hybrid retrieval).</summary>
    public bool IsHybrid => _dense is not null;

    /// <summary>How many BM25 candidates are re-ranked by coverage.</summary>
    public int CandidateCount { get; init; } = 20;

    /// <summary>
    /// Opens (creating when absent) the knowledge base file; with <paramref name="dense"/>, retrieval is hybrid
    /// (BM25 and embeddings fused), otherwise BM25 alone.
    /// </summary>
    public static SqliteKnowledgeBase Open(
        string databasePath, TimeProvider? time = null, DenseRetrieval? dense = null, DenseRetrievalMetrics? denseMetrics = null, ILogger? logger = null)
    {
        var connectionString = SqliteDatabaseFile.ConnectionString(databasePath);
        var knowledgeBase = new SqliteKnowledgeBase(connectionString, time ?? TimeProvider.System, dense, denseMetrics, logger ?? NullLogger.Instance);
        using var connection = knowledgeBase.OpenConnection();
        Execute(connection, """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS kb_sources (
                key TEXT PRIMARY KEY,
                display_name TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                chunk_count INTEGER NOT NULL,
                imported_at TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS kb_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
            -- AUTOINCREMENT: a chunk id is never reused, so what is cached about a chunk by id stays true.
            CREATE TABLE IF NOT EXISTS kb_chunks (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                source_key TEXT NOT NULL,
                anchor TEXT NOT NULL,
                title TEXT NOT NULL,
                text TEXT NOT NULL,
                kind INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS kb_chunks_by_source ON kb_chunks(source_key);
            CREATE VIRTUAL TABLE IF NOT EXISTS kb_fts USING fts5(title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 0');
            CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab USING fts5vocab(kb_fts, 'row');
            CREATE VIRTUAL TABLE IF NOT EXISTS kb_vocab_by_column USING fts5vocab(kb_fts, 'col');
            -- A chunk's vector (float32, little-endian) from one embedding model, with the hash of the embedded text.
            CREATE TABLE IF NOT EXISTS kb_vectors (
                chunk_id INTEGER PRIMARY KEY,
                model TEXT NOT NULL,
                text_hash TEXT NOT NULL,
                vector BLOB NOT NULL);
            """);
        return knowledgeBase;
    }

    public async Task ReplaceSourceAsync(KnowledgeSource source, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken)
    {
        // Embedding is slow and remote: done before the write lock is taken, and only for new or changed chunks.
        var vectors = await PrepareVectorsAsync(source.Key, chunks, cancellationToken).ConfigureAwait(false);
        await using var connection = OpenConnection();
        // Microsoft.Data.Sqlite begins IMMEDIATE transactions: the write lock is taken up front, so two importers
        // queue (busy timeout) instead of failing half-way.
        await using var transaction = connection.BeginTransaction();
        await DeleteChunksAsync(connection, transaction, source.Key, cancellationToken).ConfigureAwait(false);

        await using (var upsert = connection.CreateCommand())
        {
            upsert.Transaction = transaction;
            upsert.CommandText = """
                INSERT INTO kb_sources (key, display_name, content_hash, chunk_count, imported_at) VALUES ($key, $name, $hash, $count, $at)
                ON CONFLICT(key) DO UPDATE SET display_name = $name, content_hash = $hash, chunk_count = $count, imported_at = $at
                """;
            upsert.Parameters.AddWithValue("$key", source.Key);
            upsert.Parameters.AddWithValue("$name", source.DisplayName);
            upsert.Parameters.AddWithValue("$hash", source.ContentHash);
            upsert.Parameters.AddWithValue("$count", chunks.Count);
            upsert.Parameters.AddWithValue("$at", _time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var insertChunk = connection.CreateCommand();
        insertChunk.Transaction = transaction;
        insertChunk.CommandText = "INSERT INTO kb_chunks (source_key, anchor, title, text, kind) VALUES ($key, $anchor, $title, $text, $kind) RETURNING id";
        var key = insertChunk.Parameters.Add("$key", SqliteType.Text);
        var anchor = insertChunk.Parameters.Add("$anchor", SqliteType.Text);
        var title = insertChunk.Parameters.Add("$title", SqliteType.Text);
        var text = insertChunk.Parameters.Add("$text", SqliteType.Text);
        var kind = insertChunk.Parameters.Add("$kind", SqliteType.Integer);

        await using var insertTerms = connection.CreateCommand();
        insertTerms.Transaction = transaction;
        insertTerms.CommandText = "INSERT INTO kb_fts (rowid, title_terms, body_terms) VALUES ($id, $title, $body)";
        var id = insertTerms.Parameters.Add("$id", SqliteType.Integer);
        var titleTerms = insertTerms.Parameters.Add("$title", SqliteType.Text);
        var bodyTerms = insertTerms.Parameters.Add("$body", SqliteType.Text);

        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            key.Value = source.Key;
            anchor.Value = chunk.Anchor;
            title.Value = chunk.Title;
            text.Value = chunk.Text;
            kind.Value = (int)chunk.Kind;
            id.Value = (long)(await insertChunk.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
            titleTerms.Value = SearchText.ToIndexedForm(chunk.Title);
            bodyTerms.Value = SearchText.ToIndexedForm(chunk.Text);
            await insertTerms.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            if (vectors is not null)
                await InsertVectorAsync(connection, transaction, (long)id.Value, vectors, i, cancellationToken).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<string?> GetSourceHashAsync(string sourceKey, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT content_hash FROM kb_sources WHERE key = $key";
        command.Parameters.AddWithValue("$key", sourceKey);
        return (string?)await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> RemoveSourceAsync(string sourceKey, CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var transaction = connection.BeginTransaction();
        await DeleteChunksAsync(connection, transaction, sourceKey, cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "DELETE FROM kb_sources WHERE key = $key";
        command.Parameters.AddWithValue("$key", sourceKey);
        var removed = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return removed;
    }

    public async Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken)
    {
        await using var connection = OpenConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*), coalesce(sum(chunk_count), 0) FROM kb_sources";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new KnowledgeStats(reader.GetInt32(0), reader.GetInt32(1));
    }

    private static async Task DeleteChunksAsync(SqliteConnection connection, SqliteTransaction transaction, string sourceKey, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            DELETE FROM kb_fts WHERE rowid IN (SELECT id FROM kb_chunks WHERE source_key = $key);
            DELETE FROM kb_vectors WHERE chunk_id IN (SELECT id FROM kb_chunks WHERE source_key = $key);
            DELETE FROM kb_chunks WHERE source_key = $key;
            INSERT INTO kb_meta (key, value) VALUES ('generation', 1) ON CONFLICT(key) DO UPDATE SET value = value + 1;
            """;
        command.Parameters.AddWithValue("$key", sourceKey);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private SqliteConnection OpenConnection() => Dialogue.SqliteConnections.Open(_connectionString);

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
