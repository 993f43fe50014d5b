namespace Kefu.Service.Knowledge;

/// <summary>What a knowledge base reports about its embedding calls (shown by <c>kefu kb</c>), whatever its store.</summary>
public interface IEmbeddingCounters
{
    /// <summary>Whether questions are also matched by embeddings (hybrid retrieval).</summary>
    bool IsHybrid { get; }

    /// <summary>Chunk and query texts sent to the embedding source so far (by this instance).</summary>
    long EmbeddedTexts { get; }

    /// <summary>Embedding calls that failed, after which this instance went on with BM25 alone.</summary>
    long EmbeddingFailures { get; }
}
