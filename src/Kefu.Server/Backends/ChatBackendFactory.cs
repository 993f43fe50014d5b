using System.ClientModel;
using System.Text.Json;
using Kefu.Server.Hosting;
using Kefu.Service.Diagnostics;
using Kefu.Service.Responding;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Server.Backends;

/// <summary>
/// Builds the service's model backends from the options: none (retrieval-only), or OpenAI-compatible servers —
/// vLLM, llama.cpp's server, Ollama — through Microsoft.Extensions.AI.OpenAI, so the brain sees only IChatClient.
/// </summary>
internal static class ChatBackendFactory
{
    public static async Task<ChatBackends> CreateAsync(KefuServerOptions options, CancellationToken cancellationToken) =>
        Instrument(await CreateUninstrumentedAsync(options, cancellationToken).ConfigureAwait(false), ServiceTelemetry.ModelSourceName(options.MeterName));

    /// <summary>
    /// Wraps each model in Microsoft.Extensions.AI's OpenTelemetry client: a gen_ai span per call (model, token
    /// counts, finish reason) and token-usage metrics, on the source <paramref name="sourceName"/>. Message contents
    /// are never recorded, whatever OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT says: they are customers' words.
    /// </summary>
    public static ChatBackends Instrument(ChatBackends backends, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(backends);
        return backends with { Primary = Instrument(backends.Primary, sourceName), Escalation = Instrument(backends.Escalation, sourceName) };
    }

    private static IChatClient? Instrument(IChatClient? client, string sourceName) =>
        client is null || client.GetService<OpenTelemetryChatClient>() is not null
            ? client
            : client.AsBuilder().UseOpenTelemetry(sourceName: sourceName, configure: telemetry => telemetry.EnableSensitiveData = false).Build();

    private static async Task<ChatBackends> CreateUninstrumentedAsync(KefuServerOptions options, CancellationToken cancellationToken)
    {
        if (options.Backends is { } given)
            return given;
        if (options.BackendUrl is null)
            return ChatBackends.RetrievalOnly;
        var (primary, primaryName) = await CreateOpenAiCompatibleAsync(options.BackendUrl, options.BackendModel, options.BackendApiKey, cancellationToken).ConfigureAwait(false);
        IChatClient? escalation = null;
        if (options.EscalationBackendUrl is { } escalationUrl)
            (escalation, _) = await CreateOpenAiCompatibleAsync(escalationUrl, options.EscalationBackendModel, options.BackendApiKey, cancellationToken).ConfigureAwait(false);
        return new ChatBackends(primary, primaryName, escalation);
    }

    /// <summary>The OpenAI API root of a server: its URL with <c>/v1</c> appended when the path lacks it.</summary>
    public static Uri ApiRoot(Uri url)
    {
        var path = url.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1", StringComparison.Ordinal)
            ? new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/")
            : new Uri(url.GetLeftPart(UriPartial.Authority) + path + "/v1/");
    }

    private static async Task<(IChatClient Client, string Model)> CreateOpenAiCompatibleAsync(
        Uri url, string? model, string? apiKey, CancellationToken cancellationToken)
    {
        var root = ApiRoot(url);
        model ??= await DiscoverModelAsync(root, apiKey, cancellationToken).ConfigureAwait(false);
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            new OpenAIClientOptions { Endpoint = root, NetworkTimeout = TimeSpan.FromMinutes(2) });
        return (client.GetChatClient(model).AsIChatClient(), model);
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
            throw new InvalidOperationException($"{root}models lists no model; name one with --backend-model.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            throw new InvalidOperationException($"Cannot ask {root}models which model to use ({e.Message}); is the backend running? Or name the model with --backend-model.", e);
        }
    }
}
