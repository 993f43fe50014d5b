namespace Kefu.Service.Embeddings;

/// <summary>
/// Turns texts into dense vectors for semantic retrieval: an OpenAI-compatible <c>/v1/embeddings</c> server, or
/// anything else that can. Vectors of one source are comparable with each other only, so the knowledge base keeps
/// each vector with the <see cref="ModelId"/> that made it.
/// </summary>
public interface IEmbeddingSource
{
    /// <summary>Names the model behind the vectors; a different name means stored vectors must be recomputed.</summary>
    string ModelId { get; }

    /// <summary>One vector per text, in order. Throws when the source cannot answer (server down, bad reply).</summary>
    Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken);
}
