using Kefu.Service.Dialogue;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api;

/// <summary>
/// The API's answer to a message beyond <c>MaxCustomerTurns</c>: a problem naming the limit, with an OpenAI-style
/// <c>error</c> object beside it so OpenAI clients show the message too. 409 when a stored conversation is full, 400
/// when the request itself carries more customer messages than one conversation may hold.
/// </summary>
internal static class ConversationLimitProblem
{
    public const string Code = "conversation_too_long";

    public static ProblemHttpResult Create(ConversationLimitException e) => Create(e.SessionId, e.Limit);

    public static ProblemHttpResult Create(string sessionId, int limit)
    {
        var stored = sessionId.Length > 0;
        var detail = stored
            ? $"Session {sessionId} already has {limit} customer messages, the most one conversation may hold (MaxCustomerTurns = {limit}); start a new session."
            : $"The conversation would have more than {limit} customer messages, the most one conversation may hold (MaxCustomerTurns = {limit}); start a new conversation.";
        return TypedResults.Problem(
            statusCode: stored ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
            title: "Conversation limit reached",
            detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["limit"] = limit,
                ["error"] = new Dictionary<string, object?>
                {
                    ["message"] = detail,
                    ["type"] = "invalid_request_error",
                    ["param"] = "messages",
                    ["code"] = Code,
                },
            });
    }
}
