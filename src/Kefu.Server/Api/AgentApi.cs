using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api;

/// <summary>
/// The human side of hand-off, for keys with the agent role: the queue of waiting conversations, claiming one
/// (waiting_for_human → human; the first claim wins, later ones get 409), reading its whole history with tool calls and
/// the hand-off reason, replying (as the claiming agent; each reply is kept as a corrected answer), handing it back to
/// the bot, or closing it as resolved; and the corrected answers for the learning loop.
/// </summary>
internal static class AgentApi
{
    private const int QueueLimit = 100;

    public static void MapAgentApi(this IEndpointRouteBuilder endpoints)
    {
        var agent = endpoints.MapGroup("/agent")
            .RequireAuthorization(ServerBuilderExtensions.AgentPolicy)
            .RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy)
            .AddEndpointFilter(Ui.QueueWatcher.NudgeAfterWrites)
            .AddEndpointFilter(Ui.CustomerSessionWatcher.NudgeAfterWrites);
        agent.MapGet("/queue", async (AgentDesk desk, CancellationToken ct) =>
            TypedResults.Ok((await desk.QueueAsync(QueueLimit, ct).ConfigureAwait(false)).Select(SessionView.From).ToList()));
        agent.MapGet("/sessions/{sessionId}", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(async () =>
            {
                var (session, history) = await desk.HistoryAsync(sessionId, ct).ConfigureAwait(false);
                return AgentSessionView.From(session, history);
            }));
        agent.MapPost("/sessions/{sessionId}/accept", (string sessionId, HttpContext http, AgentDesk desk, CancellationToken ct) =>
            RunAsync(async () => SessionView.From(await desk.AcceptAsync(sessionId, AgentName(http), ct).ConfigureAwait(false))));
        agent.MapPost("/sessions/{sessionId}/reply", (string sessionId, AgentReply reply, HttpContext http, AgentDesk desk, CancellationToken ct) =>
            RunAsync(async () => SessionView.From(await desk.ReplyAsync(sessionId, AgentName(http), reply.Message ?? "", ct).ConfigureAwait(false))));
        agent.MapGet("/corrections", async (AgentDesk desk, CancellationToken ct, int? limit) =>
            TypedResults.Ok(await desk.CorrectionsAsync(Math.Clamp(limit ?? QueueLimit, 1, 1000), ct).ConfigureAwait(false)));
        agent.MapPost("/sessions/{sessionId}/release", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(async () => SessionView.From(await desk.ReleaseAsync(sessionId, ct).ConfigureAwait(false))));
        agent.MapPost("/sessions/{sessionId}/resolve", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(async () => SessionView.From(await desk.ResolveAsync(sessionId, ct).ConfigureAwait(false))));
    }

    // The API key's name: agents are told apart by the key they use.
    private static string AgentName(HttpContext http) => http.User.Identity?.Name ?? "agent";

    private static async Task<Results<Ok<T>, ProblemHttpResult, ValidationProblem>> RunAsync<T>(Func<Task<T>> operation)
    {
        try
        {
            return TypedResults.Ok(await operation().ConfigureAwait(false));
        }
        catch (SessionNotFoundException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"There is no session {e.SessionId}.");
        }
        catch (SessionStateException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not allowed in this state", detail: e.Message);
        }
        catch (ArgumentException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [e.Message.Split(" (Parameter")[0]] });
        }
    }
}
