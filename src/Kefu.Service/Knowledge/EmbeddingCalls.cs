using System.Security.Cryptography;
using System.Text;
using Kefu.Service.Embeddings;
using Microsoft.Extensions.Logging;

namespace Kefu.Service.Knowledge;

/// <summary>
/// A knowledge base's calls to its embedding source, whatever its store: counted (<see cref="IEmbeddingCounters"/>),
/// and a failing source is logged and counted, not thrown, so the customer is still answered by BM25.
/// </summary>
/// <param name="dense">The embedding source; null when dense retrieval is off (then nothing may be embedded).</param>
/// <param name="metrics">Where failures are counted, by stage.</param>
/// <param name="logger">Where failures are logged.</param>
internal sealed partial class EmbeddingCalls(DenseRetrieval? dense, DenseRetrievalMetrics? metrics, ILogger logger)
{
    private long _embeddedTexts;
    private long _failures;

    /// <summary>Chunk and query texts sent to the embedding source so far.</summary>
    public long EmbeddedTexts => Interlocked.Read(ref _embeddedTexts);

    /// <summary>Embedding calls that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>One vector per text, or null (logged and counted) when the embedding source fails.</summary>
    public async Task<IReadOnlyList<float[]>?> TryEmbedAsync(List<string> texts, string stage, CancellationToken cancellationToken)
    {
        var source = (dense ?? throw new InvalidOperationException("Dense retrieval is off: there is no embedding source.")).Source;
        try
        {
            var vectors = await source.EmbedAsync(texts, cancellationToken).ConfigureAwait(false);
            if (vectors.Count != texts.Count)
                throw new InvalidDataException($"{vectors.Count} vectors for {texts.Count} texts");
            Interlocked.Add(ref _embeddedTexts, texts.Count);
            return vectors;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever broke (server down, timeout, malformed reply), the customer is still answered by BM25.
            Interlocked.Increment(ref _failures);
            metrics?.Failed(stage);
            LogEmbeddingFailed(logger, stage, source.ModelId, e.Message);
            return null;
        }
    }

    /// <summary>The query's vector, or null (logged and counted) when the embedding source fails.</summary>
    public async Task<float[]?> EmbedQueryAsync(string query, CancellationToken cancellationToken) =>
        (await TryEmbedAsync([query], "query", cancellationToken).ConfigureAwait(false))?[0];

    /// <summary>
    /// Embeds, batch by batch, the chunks <paramref name="readPending"/> returns (id and embedded text of chunks with
    /// no vector from the given model) and hands each batch with its vectors to <paramref name="store"/>, until none
    /// are left or the source fails. Returns how many chunks were embedded; 0 when dense retrieval is off.
    /// </summary>
    public async Task<int> EmbedPendingAsync(
        Func<string, Task<List<(long Id, string Text)>>> readPending, Func<string, List<(long Id, string Text)>, IReadOnlyList<float[]>, Task> store,
        CancellationToken cancellationToken)
    {
        if (dense is null)
            return 0;
        var model = dense.Source.ModelId;
        var done = 0;
        while (true)
        {
            var pending = await readPending(model).ConfigureAwait(false);
            if (pending.Count == 0)
                return done;
            var vectors = await TryEmbedAsync(pending.ConvertAll(p => p.Text), "import", cancellationToken).ConfigureAwait(false);
            if (vectors is null)
                return done;
            await store(model, pending, vectors).ConfigureAwait(false);
            done += pending.Count;
        }
    }

    /// <summary>
    /// Vectors for a source's new chunks: an unchanged chunk keeps the vector the store already has (matched by the hash
    /// of its text among those <paramref name="readStored"/> returns for the model), only new or changed chunks go to
    /// the embedding source. Null when dense retrieval is off.
    /// </summary>
    /// <param name="chunks">The source's chunks about to be stored.</param>
    /// <param name="readStored">The source's stored vectors of the given model, by text hash, in the store's form.</param>
    /// <param name="toStored">A new embedding in the store's form.</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    public async Task<PreparedVectors<T>?> PrepareAsync<T>(IReadOnlyList<KnowledgeChunk> chunks, Func<string, Task<Dictionary<string, T>>> readStored,
        Func<float[], T> toStored, CancellationToken cancellationToken)
        where T : class
    {
        if (dense is null)
            return null;
        var model = dense.Source.ModelId;
        var hashes = chunks.Select(c => TextHash(EmbeddedText(c.Title, c.Text))).ToArray();
        var known = await readStored(model).ConfigureAwait(false);
        var vectors = hashes.Select(h => known.GetValueOrDefault(h)).ToArray();
        await FillMissingAsync(chunks, vectors, toStored, cancellationToken).ConfigureAwait(false);
        return new PreparedVectors<T>(model, hashes, vectors);
    }

    /// <summary>
    /// Fills the null entries of <paramref name="stored"/> (chunks with no stored vector for their text) with new
    /// embeddings in the store's form; they stay null when the embedding source fails.
    /// </summary>
    private async Task FillMissingAsync<T>(IReadOnlyList<KnowledgeChunk> chunks, T?[] stored, Func<float[], T> toStored, CancellationToken cancellationToken)
        where T : class
    {
        var missing = Enumerable.Range(0, chunks.Count).Where(i => stored[i] is null).ToList();
        if (missing.Count == 0)
            return;
        var vectors = await TryEmbedAsync(missing.ConvertAll(i => EmbeddedText(chunks[i].Title, chunks[i].Text)), "import", cancellationToken).ConfigureAwait(false);
        for (var j = 0; vectors is not null && j < missing.Count; j++)
            stored[missing[j]] = toStored(vectors[j]);
    }

    /// <summary>What is embedded for a chunk: its title (heading path or FAQ question) and its text.</summary>
    public static string EmbeddedText(string title, string text) => title + "\n" + text;

    /// <summary>The hash a stored vector is matched by, so an unchanged chunk keeps its vector on re-import.</summary>
    public static string TextHash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Embedding ({Stage}) with {Model} failed, using BM25 alone: {Error}")]
    private static partial void LogEmbeddingFailed(ILogger logger, string stage, string model, string error);
}
