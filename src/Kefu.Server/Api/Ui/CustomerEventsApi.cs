using System.Globalization;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// <c>GET /api/customer/sessions/{id}/events</c>: what a customer must see without asking, as server-sent events —
/// <c>message</c> for each agent reply (<c>id:</c> its number in the conversation), <c>state</c> at once and on every
/// change (queued with place in line, claimed by a named agent, resolved, back with the bot), and a <c>ping</c> when
/// quiet. It starts after message <c>Last-Event-ID</c> (a reconnecting EventSource sends it), else after
/// <c>?after=N</c> (the <c>seq</c> the page already has), else from the start: a reconnect loses and repeats nothing.
/// The stream ends when no person is involved any more (resolved, or back with the bot) and when the conversation is
/// gone. The session id is the credential, as elsewhere on the customer channel.
/// </summary>
internal static class CustomerEventsApi
{
    public static async Task<IResult> OpenAsync(
        string sessionId, int? after, HttpContext http, ISessionStore sessions, CustomerSessionWatcher watcher, KefuServerOptions options,
        TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken cancellationToken)
    {
        var cursor = ResumeAfter(http.Request.Headers["Last-Event-ID"].ToString()) ?? after ?? 0;
        if (cursor < 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["after"] = ["The message number to resume after cannot be negative."] });
        if (await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session",
                detail: $"There is no session {sessionId}; start a new conversation.");
        }
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var subscription = watcher.TrySubscribe(sessionId, address, out var refusal);
        if (subscription is null)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many live streams", detail: refusal);
        }
        // Released with the request, even one that ends before the stream is read.
        http.Response.RegisterForDispose(subscription);
        var names = options.AgentAccounts.ToDictionary(a => a.Name, a => a.DisplayName, StringComparer.Ordinal);
        return TypedResults.ServerSentEvents(StreamAsync(cursor, subscription, sessions, names, options.CustomerStreamHeartbeat, time,
            lifetime.ApplicationStopping, cancellationToken));
    }

    private static int? ResumeAfter(string lastEventId) =>
        int.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : null;

    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        int cursor, FeedSubscription<CustomerSessionSnapshot> subscription, ISessionStore sessions, Dictionary<string, string> agentNames,
        TimeSpan heartbeat, TimeProvider time, CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted)
    {
        // The stream ends when the customer leaves or the server stops: an open chat page must not hold up a shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        var cancellationToken = linked.Token;
        using (subscription)
        {
            CustomerStreamState? shown = null;
            while (!cancellationToken.IsCancellationRequested)
            {
                var wake = await LiveFeed.WaitAsync(subscription.Reader, heartbeat, cancellationToken).ConfigureAwait(false);
                if (wake == LiveFeed.Wake.Ended)
                    yield break;
                if (wake == LiveFeed.Wake.Quiet)
                {
                    yield return LiveFeed.Ping(time);
                    continue;
                }
                if (!subscription.Reader.TryRead(out var snapshot))
                    continue;
                if (snapshot.Session is not { } session)
                    yield break;
                foreach (var message in await NewMessagesAsync(session, cursor, sessions, cancellationToken).ConfigureAwait(false))
                {
                    cursor = message.Seq;
                    // The customer's own messages and the bot's replies came back on the customer's POST already.
                    if (message.Role == SessionMessage.Agent)
                        yield return new SseItem<object>(message, "message") { EventId = message.Seq.ToString(CultureInfo.InvariantCulture) };
                }
                var state = new CustomerStreamState(session.State, snapshot.QueuePosition,
                    session.AssignedAgent is { } agent && agentNames.TryGetValue(agent, out var name) ? name : null, Math.Max(cursor, session.MessageCount));
                if (shown is null || shown with { Seq = 0 } != state with { Seq = 0 })
                {
                    shown = state;
                    yield return new SseItem<object>(state, "state");
                }
                if (session.State is SessionState.Bot or SessionState.Resolved)
                    yield break;
            }
        }
    }

    /// <summary>
    /// The messages after number <paramref name="cursor"/>: from the loaded tail, or — when the customer was away for
    /// longer than the tail reaches — from the whole history (bounded by the conversation's turn limit).
    /// </summary>
    private static async Task<IReadOnlyList<CustomerMessage>> NewMessagesAsync(Session session, int cursor, ISessionStore sessions, CancellationToken cancellationToken)
    {
        if (session.MessageCount <= cursor)
            return [];
        var firstLoaded = session.MessageCount - session.Messages.Count + 1;
        if (cursor + 1 >= firstLoaded)
            return [.. CustomerMessage.Tail(session).Where(m => m.Seq > cursor)];
        var history = await sessions.HistoryAsync(session.Id, cancellationToken).ConfigureAwait(false);
        return [.. history.Messages.Select((m, i) => new CustomerMessage(i + 1, m.Role, m.Content, m.At)).Where(m => m.Seq > cursor)];
    }
}
