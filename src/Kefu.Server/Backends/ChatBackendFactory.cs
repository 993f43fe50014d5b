using System.ClientModel;
using Kefu.Server.Hosting;
using Kefu.Service;
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

    private static async Task<(IChatClient Client, string Model)> CreateOpenAiCompatibleAsync(
        Uri url, string? model, string? apiKey, CancellationToken cancellationToken)
    {
        var root = OpenAiCompatibleServer.ApiRoot(url);
        model ??= await OpenAiCompatibleServer.DiscoverModelAsync(root, apiKey, "model backend", "--backend-model", cancellationToken).ConfigureAwait(false);
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            // One quick retry for a blip; a backend that keeps failing is the circuit breaker's (Resilience/), not
            // three exponential retries' that would hold the customer for seconds before the fallback.
            new OpenAIClientOptions { Endpoint = root, NetworkTimeout = TimeSpan.FromMinutes(2), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 1) });
        return (client.GetChatClient(model).AsIChatClient(), model);
    }
}
