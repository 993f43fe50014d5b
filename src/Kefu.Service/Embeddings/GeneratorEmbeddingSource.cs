using Microsoft.Extensions.AI;

namespace Kefu.Service.Embeddings;

/// <summary>
/// An <see cref="IEmbeddingSource"/> over any Microsoft.Extensions.AI embedding generator, sending texts in batches
/// (servers cap how many inputs one request may carry, and one huge request would time out as a whole).
/// </summary>
public sealed class GeneratorEmbeddingSource(IEmbeddingGenerator<string, Embedding<float>> generator, string modelId) : IEmbeddingSource
{
    /// <summary>Texts per request.</summary>
    public int BatchSize { get; init; } = 64;

    public string ModelId { get; } = modelId;

    public async Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var vectors = new List<float[]>(texts.Count);
        foreach (var batch in texts.Chunk(Math.Max(1, BatchSize)))
        {
            var embeddings = await generator.GenerateAsync(batch, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != batch.Length)
                throw new InvalidDataException($"The embedding model {ModelId} returned {embeddings.Count} vectors for {batch.Length} texts.");
            foreach (var embedding in embeddings)
            {
                if (embedding.Vector.Length == 0)
                    throw new InvalidDataException($"The embedding model {ModelId} returned an empty vector.");
                vectors.Add(embedding.Vector.ToArray());
            }
        }
        return vectors;
    }
}
