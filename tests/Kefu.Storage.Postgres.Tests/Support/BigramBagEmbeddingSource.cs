using Kefu.Service.Embeddings;
using Kefu.Service.Tests.Embeddings;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>An embedding source over <see cref="BigramBagEmbedder"/> that counts the texts it was asked to embed.</summary>
internal sealed class BigramBagEmbeddingSource : IEmbeddingSource
{
    private int _embedded;

    public string ModelId => "bigram-bag-256";

    public int Embedded => Volatile.Read(ref _embedded);

    public Task<IReadOnlyList<float[]>> EmbedAsync(IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        Interlocked.Add(ref _embedded, texts.Count);
        return Task.FromResult<IReadOnlyList<float[]>>(texts.Select(BigramBagEmbedder.Embed).ToList());
    }
}
