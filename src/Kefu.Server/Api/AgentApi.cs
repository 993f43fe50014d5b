using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api;

/// <summary>
/// The human side of hand-off, for keys with the agent role: the queue of waiting conversations, and taking one
/// (waiting_for_human → human), replying, handing it back to the bot, or closing it as resolved.
/// </summary>
internal static class AgentApi
{
    private const int QueueLimit = 100;

    public static void MapAgentApi(this IEndpointRouteBuilder endpoints)
    {
        var agent = endpoints.MapGroup("/agent")
            .RequireAuthorization(ServerBuilderExtensions.AgentPolicy)
            .RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy);
        agent.MapGet("/queue", async (AgentDesk desk, CancellationToken ct) =>
            TypedResults.Ok((await desk.QueueAsync(QueueLimit, ct).ConfigureAwait(false)).Select(SessionView.From).ToList()));
        agent.MapGet("/sessions/{sessionId}", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(() => desk.GetAsync(sessionId, ct)));
        agent.MapPost("/sessions/{sessionId}/accept", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(() => desk.AcceptAsync(sessionId, ct)));
        agent.MapPost("/sessions/{sessionId}/reply", (string sessionId, AgentReply reply, AgentDesk desk, CancellationToken ct) =>
            RunAsync(() => desk.ReplyAsync(sessionId, reply.Message ?? "", ct)));
        agent.MapPost("/sessions/{sessionId}/release", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(() => desk.ReleaseAsync(sessionId, ct)));
        agent.MapPost("/sessions/{sessionId}/resolve", (string sessionId, AgentDesk desk, CancellationToken ct) =>
            RunAsync(() => desk.ResolveAsync(sessionId, ct)));
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult, ValidationProblem>> RunAsync(Func<Task<Session>> operation)
    {
        try
        {
            return TypedResults.Ok(SessionView.From(await operation().ConfigureAwait(false)));
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
