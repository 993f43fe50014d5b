using Kefu.Service.Embeddings;

namespace Kefu.Service.Tests.Embeddings;

/// <summary>An embedding source that can be taken down and brought back (as an embeddings server restarting).</summary>
internal sealed class SwitchableEmbeddingSource(IEmbeddingSource inner) : IEmbeddingSource
{
    public bool Down { get; set; }

    public string ModelId => inner.ModelId;

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken) =>
        Down ? throw new HttpRequestException("Connection refused (fake)") : inner.EmbedAsync(texts, cancellationToken);
}
