using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Kefu.Evaluation.Running;

/// <summary>
/// A Kefu server's <c>POST /chat</c> over real HTTP: the first turn opens a session, the next ones continue it.
/// Latency is measured at the client, so it includes the network and serialisation the server's own number leaves out.
/// </summary>
public sealed class HttpChatTarget : IConversationTarget, IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient _http;

    /// <param name="server">The server's root (http://127.0.0.1:5180/).</param>
    /// <param name="apiKey">An API key the server accepts.</param>
    /// <param name="timeout">Per-request timeout.</param>
    public HttpChatTarget(Uri server, string apiKey, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var root = server.AbsoluteUri.EndsWith('/') ? server : new Uri(server.AbsoluteUri + "/");
        _http = new HttpClient { BaseAddress = root, Timeout = timeout ?? TimeSpan.FromSeconds(120) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        Description = root.AbsoluteUri;
    }

    public string Description { get; }

    public async Task<ConversationObservation> RunAsync(IReadOnlyList<string> turns, CancellationToken cancellationToken)
    {
        string? sessionId = null;
        var replies = new List<string>();
        var tools = new List<ObservedToolCall>();
        var latencies = new List<double>();
        ChatReply? last = null;
        foreach (var message in turns)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.PostAsJsonAsync("chat", new ChatRequest(sessionId, message), Json, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new HttpRequestException($"POST {_http.BaseAddress}chat answered {(int)response.StatusCode} {response.ReasonPhrase}: {Truncate(body)}");
            }
            last = await response.Content.ReadFromJsonAsync<ChatReply>(Json, cancellationToken).ConfigureAwait(false)
                ?? throw new HttpRequestException($"POST {_http.BaseAddress}chat answered an empty body.");
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            sessionId = last.SessionId;
            replies.Add(last.Reply ?? "");
            tools.AddRange((last.ToolCalls ?? []).Select(t => new ObservedToolCall(t.Name ?? "", t.Arguments ?? "{}", t.Outcome ?? "")));
        }
        return new ConversationObservation(replies, tools, last?.Handoff ?? false,
            [.. (last?.Sources ?? []).Select(s => s.Title ?? "")], latencies, last?.Intent);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose() => _http.Dispose();

    private sealed record ChatRequest(string? SessionId, string Message);

    private sealed record ChatReply(
        string SessionId, string? Reply, IReadOnlyList<ChatSource>? Sources,
        IReadOnlyList<ChatToolCall>? ToolCalls, bool Handoff, string? Intent);

    private sealed record ChatSource(string? Title);

    private sealed record ChatToolCall(string? Name, string? Arguments, string? Outcome);
}
