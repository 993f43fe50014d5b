using System.Net.Http.Json;
using System.Text.Json;

namespace Kefu.Service;

/// <summary>
/// What every OpenAI-compatible server (vLLM, llama.cpp's server, Ollama, text-embeddings-inference) has in common
/// for Kefu: where its API root is, and which model it serves when the user names none. Shared by the chat backends
/// and the embedding source.
/// </summary>
public static class OpenAiCompatibleServer
{
    /// <summary>The OpenAI API root of a server: its URL with <c>/v1</c> appended when the path lacks it.</summary>
    public static Uri ApiRoot(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var path = url.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1", StringComparison.Ordinal)
            ? new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/")
            : new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/v1/");
    }

    /// <summary>
    /// Asks <c>{root}models</c> for the first model it serves; fails with a message that names the server, what it
    /// is for (<paramref name="serverRole"/>, e.g. "embeddings server") and <paramref name="modelOption"/> (the
    /// command-line option that names a model instead).
    /// </summary>
    public static async Task<string> DiscoverModelAsync(Uri root, string? apiKey, string serverRole, string modelOption, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(root);
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
            throw new InvalidOperationException($"The {serverRole}'s {root}models lists no model; name one with {modelOption}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new InvalidOperationException(
                $"Cannot ask {root}models which model to use ({e.Message}); is the {serverRole} running? Or name the model with {modelOption}.", e);
        }
    }
}
