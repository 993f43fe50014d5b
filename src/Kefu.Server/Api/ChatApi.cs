using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api;

/// <summary>
/// <c>POST /chat</c> — the seed article's endpoint, session-aware: <c>{session_id?, message}</c> →
/// <c>{session_id, reply, sources, tool_calls, handoff, latency_ms}</c> (409 naming the limit when the session already has
/// <c>MaxCustomerTurns</c> customer messages); and <c>GET /chat/sessions/{id}</c> for
/// reading a conversation (a customer waiting for a human agent's reply polls it).
/// </summary>
internal static class ChatApi
{
    public static void MapChatApi(this IEndpointRouteBuilder endpoints)
    {
        var chat = endpoints.MapGroup("/chat").RequireAuthorization().RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy);
        chat.MapPost("", PostAsync);
        chat.MapGet("/sessions/{sessionId}", GetSessionAsync);
    }

    private static async Task<Results<Ok<ChatResponse>, ValidationProblem, ProblemHttpResult>> PostAsync(
        ChatRequest request, DialogueManager dialogue, CancellationToken cancellationToken)
    {
        if (dialogue.CheckMessage(request.Message) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["message"] = [problem] });
        try
        {
            var turn = await dialogue.HandleAsync(request.SessionId, request.Message!, cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(ChatResponse.From(turn));
        }
        catch (SessionNotFoundException e)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session",
                detail: $"There is no session {e.SessionId}; omit session_id to start a new one.");
        }
        catch (ConversationLimitException e)
        {
            return ConversationLimitProblem.Create(e);
        }
    }

    private static async Task<Results<Ok<SessionView>, ProblemHttpResult>> GetSessionAsync(
        string sessionId, AgentDesk desk, CancellationToken cancellationToken)
    {
        try
        {
            return TypedResults.Ok(SessionView.From(await desk.GetAsync(sessionId, cancellationToken).ConfigureAwait(false)));
        }
        catch (SessionNotFoundException)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"There is no session {sessionId}.");
        }
    }
}
