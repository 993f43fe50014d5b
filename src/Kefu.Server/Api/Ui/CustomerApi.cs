using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kefu.Server.Hosting;
using Kefu.Service;
using Kefu.Service.Dialogue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The public customer channel behind the chat page and the widget, with no API key: <c>POST /api/customer/chat</c>
/// streams a turn as server-sent events (<c>delta</c> pieces of text, then <c>done</c> with sources, order card and
/// hand-off state); <c>GET /api/customer/sessions/{id}/events</c> streams what a customer waiting for a person must
/// see (<see cref="CustomerEventsApi"/>); <c>GET /api/customer/sessions/{id}</c> is the same as one snapshot (restoring
/// the page, or polling where the stream fails); a rating closes the conversation. A message beyond the conversation's
/// limit is not taken: the customer is told, and a person takes over (<see cref="ConversationLimitHandoff"/>). A
/// conversation's id (128 random bits) is the customer's only credential: it is created by the first message and kept
/// in the browser. Every client address is rate-limited.
/// </summary>
internal static class CustomerApi
{
    public static void MapCustomerApi(this IEndpointRouteBuilder endpoints)
    {
        var customer = endpoints.MapGroup("/api/customer").AllowAnonymous();
        customer.MapGet("/config", Config).RequireRateLimiting(UiServices.CustomerReadPolicy);
        customer.MapPost("/chat", ChatAsync).RequireRateLimiting(UiServices.CustomerMessagePolicy);
        customer.MapGet("/sessions/{sessionId}", GetSessionAsync).RequireRateLimiting(UiServices.CustomerReadPolicy);
        // Each (re)connection costs a read; the open streams themselves are capped by CustomerSessionWatcher.
        customer.MapGet("/sessions/{sessionId}/events", CustomerEventsApi.OpenAsync).RequireRateLimiting(UiServices.CustomerReadPolicy);
        customer.MapPost("/sessions/{sessionId}/rating", RateAsync).RequireRateLimiting(UiServices.CustomerMessagePolicy);
    }

    private static Ok<CustomerConfig> Config(IOptions<KefuServiceOptions> service, KefuServerOptions options) =>
        TypedResults.Ok(new CustomerConfig(service.Value.ShopName, service.Value.AssistantName, service.Value.HumanServiceHours, options.QuickReplies));

    private static async Task<IResult> ChatAsync(
        ChatRequest request, DialogueManager dialogue, ConversationLimitHandoff limit, ISessionStore sessions, OrderCards orders, QueueWatcher queue,
        CustomerSessionWatcher followers, CancellationToken cancellationToken)
    {
        if (dialogue.CheckMessage(request.Message) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [problem] });
        var sessionId = string.IsNullOrEmpty(request.SessionId) ? null : request.SessionId;
        if (sessionId is not null && await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is null)
            return UnknownSession(sessionId);
        return TypedResults.ServerSentEvents(StreamAsync(sessionId, request.Message!, dialogue, limit, sessions, orders, queue, followers, cancellationToken));
    }

    /// <summary>Runs the turn while the response streams; the last event carries everything the page shows besides the text.</summary>
    private static async IAsyncEnumerable<SseItem<object>> StreamAsync(
        string? sessionId, string message, DialogueManager dialogue, ConversationLimitHandoff limit, ISessionStore sessions, OrderCards orders,
        QueueWatcher queue, CustomerSessionWatcher followers, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = Channel.CreateUnbounded<SseItem<object>>(new UnboundedChannelOptions { SingleReader = true });
        ValueTask Sink(string delta, CancellationToken _)
        {
            foreach (var piece in OpenAiFormat.Pieces(delta))
                events.Writer.TryWrite(new SseItem<object>(new CustomerDelta(piece), "delta"));
            return ValueTask.CompletedTask;
        }
        var running = Task.Run(async () =>
        {
            try
            {
                TurnResult turn;
                try
                {
                    turn = await dialogue.HandleAsync(sessionId, message, Sink, cancellationToken).ConfigureAwait(false);
                }
                catch (ConversationLimitException e)
                {
                    turn = await limit.HandleAsync(e.SessionId, Sink, cancellationToken).ConfigureAwait(false);
                }
                if (turn.Handoff)
                    queue.Nudge();
                followers.Nudge(turn.SessionId);
                var session = await sessions.FindAsync(turn.SessionId, cancellationToken).ConfigureAwait(false);
                var position = session is { State: SessionState.WaitingForHuman }
                    ? await sessions.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false)
                    : 0;
                var card = await orders.FindAsync(turn.ToolCalls, cancellationToken).ConfigureAwait(false);
                events.Writer.TryWrite(new SseItem<object>(CustomerTurn.From(turn, position, card, session?.MessageCount ?? 0), "done"));
                events.Writer.TryComplete();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The customer sees an apology; the details stay in the server's log via the exception handler's logger.
                events.Writer.TryWrite(new SseItem<object>(new CustomerError("抱歉，系统暂时出了点问题，请稍后再试。"), "error"));
                events.Writer.TryComplete(e);
            }
            finally
            {
                // A customer who left mid-turn cancels it: end the stream either way.
                events.Writer.TryComplete();
            }
        }, cancellationToken);
        await foreach (var item in events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return item;
        await running.ConfigureAwait(false);
    }

    private static async Task<Results<Ok<CustomerSessionView>, ProblemHttpResult>> GetSessionAsync(
        string sessionId, ISessionStore sessions, CancellationToken cancellationToken)
    {
        var session = await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false);
        if (session is null)
            return UnknownSession(sessionId);
        // queued_at outlives the claim, so only a waiting conversation has a place in line.
        var position = session.State == SessionState.WaitingForHuman
            ? await sessions.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false)
            : 0;
        return TypedResults.Ok(CustomerSessionView.From(session, position));
    }

    private static async Task<Results<Ok<SatisfactionRating>, ValidationProblem, ProblemHttpResult>> RateAsync(
        string sessionId, CustomerRatingRequest request, ISessionStore sessions, IDeskStore desk, TimeProvider time, CancellationToken cancellationToken)
    {
        if (request.Score is not (>= 1 and <= 5))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["score"] = ["The score must be a whole number from 1 to 5."] });
        if (request.Comment is { Length: > 500 })
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["comment"] = ["The comment is longer than 500 characters."] });
        if (await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is null)
            return UnknownSession(sessionId);
        var rating = new SatisfactionRating(sessionId, request.Score.Value, string.IsNullOrWhiteSpace(request.Comment) ? null : request.Comment.Trim(), time.GetUtcNow());
        await desk.SaveRatingAsync(rating, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(rating);
    }

    private static ProblemHttpResult UnknownSession(string sessionId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"There is no session {sessionId}; start a new conversation.");
}
