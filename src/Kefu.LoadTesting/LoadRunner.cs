using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kefu.LoadTesting;

/// <summary>
/// Drives a Kefu server with concurrent multi-turn conversations over real HTTP, then reads every conversation back
/// through the agent API and checks the log against what was sent (<see cref="ConversationLogCheck"/>).
/// </summary>
public static class LoadRunner
{
    private const string SessionHeader = "X-Kefu-Session-Id";

    public static async Task<LoadReport> RunAsync(LoadOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = options.Target, Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.Deadline);

        if (options.WarmUp)
        {
            string? warmSession = null;
            foreach (var question in options.Questions)
            {
                var warm = await TurnAsync(http, options with { Stream = false }, -1, 0, null, question, deadline.Token).ConfigureAwait(false);
                warmSession ??= warm.SessionId;
                if (options.Stream && warmSession is not null)
                    await TurnAsync(http, options, -1, 1, warmSession, question, deadline.Token).ConfigureAwait(false);
            }
        }

        var samples = new ConcurrentBag<TurnSample>();
        var sessionIds = new string?[options.Sessions];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, options.Sessions).Select(s => Task.Run(async () =>
        {
            for (var t = 0; t < options.TurnsPerSession && !deadline.IsCancellationRequested; t++)
            {
                var message = options.Questions[(s * 3 + t) % options.Questions.Count];
                var sample = await TurnAsync(http, options, s, t, sessionIds[s], message, deadline.Token).ConfigureAwait(false);
                samples.Add(sample.Sample);
                sessionIds[s] ??= sample.SessionId;
                // Without a session (its first turn failed) the conversation cannot go on.
                if (sessionIds[s] is null)
                    break;
            }
        }, CancellationToken.None))).ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(started);

        var turns = samples.OrderBy(t => t.Session).ThenBy(t => t.Turn).ToList();
        var check = await CheckLogAsync(options, sessionIds, turns, cancellationToken).ConfigureAwait(false);
        return new LoadReport(options, elapsed, turns, check);
    }

    private static async Task<(TurnSample Sample, string? SessionId)> TurnAsync(
        HttpClient http, LoadOptions options, int session, int turn, string? sessionId, string message, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RequestTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            if (options.Stream && sessionId is not null)
            {
                var (status, firstToken, handoff, error) = await StreamTurnAsync(http, sessionId, message, started, timeout.Token).ConfigureAwait(false);
                return (new TurnSample(session, turn, message, Elapsed(started), firstToken, status, error, handoff), sessionId);
            }
            using var response = await http.PostAsJsonAsync("chat", new Dictionary<string, string?> { ["session_id"] = sessionId, ["message"] = message }, timeout.Token)
                .ConfigureAwait(false);
            var body = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var latency = Elapsed(started);
            if (!response.IsSuccessStatusCode)
                return (new TurnSample(session, turn, message, latency, null, (int)response.StatusCode, Shorten(body), false), sessionId);
            using var reply = JsonDocument.Parse(body);
            var root = reply.RootElement;
            return (new TurnSample(session, turn, message, latency, null, (int)response.StatusCode, null,
                root.TryGetProperty("handoff", out var h) && h.ValueKind == JsonValueKind.True), root.GetProperty("session_id").GetString());
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or IOException or KeyNotFoundException)
        {
            var why = e is OperationCanceledException ? (cancellationToken.IsCancellationRequested ? "deadline reached" : "timed out") : e.GetType().Name + ": " + e.Message;
            return (new TurnSample(session, turn, message, Elapsed(started), null, 0, why, false), sessionId);
        }
    }

    /// <summary>
    /// A turn on <c>POST /v1/chat/completions</c> with <c>stream: true</c>: reads the server-sent events to
    /// <c>[DONE]</c>, noting when the first text arrived. A stream that ends without <c>[DONE]</c> is a failed turn.
    /// </summary>
    private static async Task<(int Status, double? FirstToken, bool Handoff, string? Error)> StreamTurnAsync(
        HttpClient http, string sessionId, string message, long started, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { messages = new[] { new { role = "user", content = message } }, stream = true }),
        };
        request.Headers.Add(SessionHeader, sessionId);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
            return (status, null, false, Shorten(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)));
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
        double? firstToken = null;
        var handoff = false;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            var data = line["data:".Length..].Trim();
            if (data == "[DONE]")
                return (status, firstToken, handoff, null);
            using var chunk = JsonDocument.Parse(data);
            var choice = chunk.RootElement.GetProperty("choices")[0];
            if (firstToken is null && choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content)
                && content.ValueKind == JsonValueKind.String && content.GetString()!.Length > 0)
            {
                firstToken = Elapsed(started);
            }
            if (chunk.RootElement.TryGetProperty("kefu", out var kefu) && kefu.TryGetProperty("handoff", out var h))
                handoff = h.ValueKind == JsonValueKind.True;
        }
        return (status, firstToken, handoff, "the stream ended without [DONE]");
    }

    /// <summary>
    /// Reads each conversation back (<c>GET /agent/sessions/{id}</c>) and compares its customer messages with the
    /// turns sent. A turn that failed may or may not have been stored (the server may have finished it after the
    /// client gave up), so it counts towards the allowed maximum but is never reported lost.
    /// </summary>
    private static async Task<ConversationLogCheck> CheckLogAsync(
        LoadOptions options, string?[] sessionIds, List<TurnSample> turns, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = options.Target, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.AgentApiKey ?? options.ApiKey);
        var problems = new List<string>();
        int sessions = 0, stored = 0, lost = 0, duplicated = 0, logEntries = 0;
        for (var s = 0; s < sessionIds.Length; s++)
        {
            if (sessionIds[s] is not { } id)
                continue;
            sessions++;
            var sent = turns.Where(t => t.Session == s).ToList();
            using var response = await http.GetAsync($"agent/sessions/{Uri.EscapeDataString(id)}", cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                problems.Add($"session {id}: reading it back answered {(int)response.StatusCode}");
                lost += sent.Count(t => t.Served);
                continue;
            }
            using var history = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            var customer = history.RootElement.GetProperty("messages").EnumerateArray()
                .Where(m => m.GetProperty("role").GetString() == "user")
                .Select(m => m.GetProperty("content").GetString() ?? "")
                .ToList();
            var entries = history.RootElement.GetProperty("turns").GetArrayLength();
            stored += customer.Count;
            logEntries += entries;
            foreach (var group in sent.GroupBy(t => t.Message, StringComparer.Ordinal))
            {
                var served = group.Count(t => t.Served);
                var found = customer.Count(c => c == group.Key);
                if (found < served)
                {
                    lost += served - found;
                    problems.Add($"session {id}: \"{group.Key}\" acknowledged {served}×, stored {found}×");
                }
                if (found > group.Count())
                {
                    duplicated += found - group.Count();
                    problems.Add($"session {id}: \"{group.Key}\" sent {group.Count()}×, stored {found}×");
                }
            }
            var unknown = customer.Where(c => sent.All(t => t.Message != c)).ToList();
            if (unknown.Count > 0)
            {
                duplicated += unknown.Count;
                problems.Add($"session {id}: {unknown.Count} stored customer message(s) that were never sent");
            }
            var servedInOrder = sent.Where(t => t.Served).Select(t => t.Message).ToList();
            if (sent.All(t => t.Served) && !customer.SequenceEqual(servedInOrder, StringComparer.Ordinal))
                problems.Add($"session {id}: stored customer messages are not the sent ones in order");
            if (entries < sent.Count(t => t.Served) || entries > sent.Count)
                problems.Add($"session {id}: {entries} turn-log entries for {sent.Count(t => t.Served)} served of {sent.Count} sent turns");
        }
        return new ConversationLogCheck(sessions, stored, lost, duplicated, logEntries, problems);
    }

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Shorten(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
