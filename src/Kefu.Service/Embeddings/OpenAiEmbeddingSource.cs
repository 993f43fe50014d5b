using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Service.Embeddings;

/// <summary>
/// Embeddings from an OpenAI-compatible <c>/v1/embeddings</c> server (vLLM, llama.cpp's server with --embeddings,
/// Ollama, text-embeddings-inference) through Microsoft.Extensions.AI.OpenAI.
/// </summary>
public static class OpenAiEmbeddingSource
{
    /// <summary>
    /// Connects to <paramref name="url"/> (its <c>/v1</c> root; appended when missing). Without a model name the
    /// server's <c>/v1/models</c> is asked for its first model, so a server that is down fails here, with a message.
    /// </summary>
    public static async Task<IEmbeddingSource> CreateAsync(Uri url, string? model, string? apiKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        var root = OpenAiCompatibleServer.ApiRoot(url);
        model ??= await OpenAiCompatibleServer.DiscoverModelAsync(root, apiKey, "embeddings server", "--embeddings-model", cancellationToken).ConfigureAwait(false);
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            // Short timeout, no retries: a query waits for its embedding, and BM25 alone is the fallback.
            new OpenAIClientOptions { Endpoint = root, NetworkTimeout = TimeSpan.FromSeconds(10), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        return new GeneratorEmbeddingSource(client.GetEmbeddingClient(model).AsIEmbeddingGenerator(), model);
    }
}
