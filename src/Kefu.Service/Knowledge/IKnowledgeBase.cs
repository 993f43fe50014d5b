namespace Kefu.Service.Knowledge;

/// <summary>Searchable enterprise knowledge, updated source by source while the service runs.</summary>
public interface IKnowledgeBase
{
    /// <summary>The best chunks for <paramref name="query"/>, most confident first; empty when nothing matches.</summary>
    Task<IReadOnlyList<KnowledgeHit>> SearchAsync(string query, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces every chunk of <paramref name="source"/> with <paramref name="chunks"/> in one transaction, so
    /// searches see either the old or the new version of a file, never a mix.
    /// </summary>
    Task ReplaceSourceAsync(KnowledgeSource source, IReadOnlyList<KnowledgeChunk> chunks, CancellationToken cancellationToken);

    /// <summary>The content hash recorded for a source, or null when it was never imported.</summary>
    Task<string?> GetSourceHashAsync(string sourceKey, CancellationToken cancellationToken);

    /// <summary>Removes a source and its chunks; false when it was not there.</summary>
    Task<bool> RemoveSourceAsync(string sourceKey, CancellationToken cancellationToken);

    /// <summary>How many sources and chunks the knowledge base holds.</summary>
    Task<KnowledgeStats> GetStatsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Computes the embeddings that chunks lack (imported while the embeddings server was down, or before one was
    /// configured); returns how many. Nothing to do for a knowledge base without dense retrieval.
    /// </summary>
    Task<int> EmbedMissingAsync(CancellationToken cancellationToken) => Task.FromResult(0);
}
