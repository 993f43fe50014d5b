using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Kefu.Service.Knowledge;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The agent console's extras beside <see cref="AgentApi"/>: <c>GET /agent/queue/events</c>, the queue as
/// server-sent events (a <c>queue</c> event with the whole snapshot at once and on every change, a <c>ping</c> every
/// 15 s so proxies keep the stream open); <c>GET /agent/sessions/{id}/suggestions</c>, knowledge for the customer's last
/// question.
/// </summary>
internal static class AgentEventsApi
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void MapAgentEventsApi(this IEndpointRouteBuilder endpoints)
    {
        var agent = endpoints.MapGroup("/agent").RequireAuthorization(ServerBuilderExtensions.AgentPolicy);
        // The stream is one long request: it is not rate-limited, the requests that open it are few.
        agent.MapGet("/queue/events", (QueueWatcher queue, TimeProvider time, IHostApplicationLifetime lifetime, CancellationToken ct) =>
            TypedResults.ServerSentEvents(EventsAsync(queue, time, lifetime.ApplicationStopping, ct)));
        agent.MapGet("/sessions/{sessionId}/suggestions", SuggestAsync).RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy);
    }

    private static async IAsyncEnumerable<SseItem<object>> EventsAsync(
        QueueWatcher queue, TimeProvider time, CancellationToken stopping, [EnumeratorCancellation] CancellationToken aborted)
    {
        // The stream ends when the client leaves or the server stops: an open console must not hold up a shutdown.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stopping, aborted);
        var cancellationToken = linked.Token;
        using var subscription = queue.Subscribe();
        while (!cancellationToken.IsCancellationRequested)
        {
            var wake = await LiveFeed.WaitAsync(subscription.Reader, Heartbeat, cancellationToken).ConfigureAwait(false);
            if (wake == LiveFeed.Wake.Ended)
                yield break;
            if (wake == LiveFeed.Wake.Quiet)
            {
                yield return LiveFeed.Ping(time);
                continue;
            }
            while (subscription.Reader.TryRead(out var snapshot))
                yield return new SseItem<object>(snapshot, "queue");
        }
    }

    private static async Task<Results<Ok<List<KnowledgeSuggestion>>, ProblemHttpResult>> SuggestAsync(
        string sessionId, ISessionStore sessions, IKnowledgeBase knowledge, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"There is no session {sessionId}.");
        // The last customer message that is a question, not "转人工" itself: that is what the agent has to answer.
        var question = session.Messages.Where(m => m.Role == SessionMessage.User).Select(m => m.Content)
            .LastOrDefault(text => !IsHandoffRequest(text));
        if (question is null)
            return TypedResults.Ok(new List<KnowledgeSuggestion>());
        var hits = await knowledge.SearchAsync(question, 3, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(hits.Select(h => KnowledgeSuggestion.From(h, question)).ToList());
    }

    private static bool IsHandoffRequest(string text) =>
        text.Length <= 8 && (text.Contains("人工", StringComparison.Ordinal) || text.Contains("客服", StringComparison.Ordinal));
}

/// <summary>A knowledge chunk offered to an agent for the customer's question.</summary>
internal sealed record KnowledgeSuggestion(string Question, string Source, string Anchor, string Title, string Text, double Confidence)
{
    public static KnowledgeSuggestion From(KnowledgeHit hit, string question) =>
        new(question, hit.Source, hit.Anchor, hit.Title, hit.Text, Math.Round(hit.Confidence, 3));
}
