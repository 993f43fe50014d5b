using System.ClientModel;
using System.Net.Http.Json;
using System.Text.Json;
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
        var root = ApiRoot(url);
        model ??= await DiscoverModelAsync(root, apiKey, cancellationToken).ConfigureAwait(false);
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            // Short timeout, no retries: a query waits for its embedding, and BM25 alone is the fallback.
            new OpenAIClientOptions { Endpoint = root, NetworkTimeout = TimeSpan.FromSeconds(10), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });
        return new GeneratorEmbeddingSource(client.GetEmbeddingClient(model).AsIEmbeddingGenerator(), model);
    }

    /// <summary>The OpenAI API root of a server: its URL with <c>/v1</c> appended when the path lacks it.</summary>
    public static Uri ApiRoot(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = url.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1", StringComparison.Ordinal)
            ? new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/")
            : new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/v1/");
    }

    private static async Task<string> DiscoverModelAsync(Uri root, string? apiKey, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, "models"));
        if (!string.IsNullOrEmpty(apiKey))
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            var models = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            if (models.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array && data.GetArrayLength() > 0
                && data[0].TryGetProperty("id", out var id) && id.GetString() is { Length: > 0 } name)
            {
                return name;
            }
            throw new InvalidOperationException($"{root}models lists no model; name one with --embeddings-model.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new InvalidOperationException(
                $"Cannot ask {root}models which embedding model to use ({e.Message}); is the embeddings server running? Or name the model with --embeddings-model.", e);
        }
    }
}
