using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Kefu.Service.Responding;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Api;

/// <summary>
/// OpenAI-compatible endpoints, so any OpenAI client (or a chat UI) can talk to the assistant:
/// <c>POST /v1/chat/completions</c> (with <c>stream: true</c> as server-sent events ending in <c>[DONE]</c>) and
/// <c>GET /v1/models</c>. The request carries its own history, as OpenAI's API does; a client that wants Kefu to
/// keep the session (slots, hand-off state) sends <c>X-Kefu-Session-Id</c> with the id from a previous reply.
/// </summary>
internal static class OpenAiApi
{
    public const string SessionHeader = "X-Kefu-Session-Id";

    public static void MapOpenAiApi(this IEndpointRouteBuilder endpoints)
    {
        var v1 = endpoints.MapGroup("/v1").RequireAuthorization().RequireRateLimiting(ServerBuilderExtensions.RateLimitPolicy);
        v1.MapPost("/chat/completions", CompleteAsync);
        v1.MapGet("/models", (ChatBackends backends, TimeProvider time) =>
            TypedResults.Ok(OpenAiFormat.Models(backends.PrimaryName, OpenAiFormat.UnixSeconds(time.GetUtcNow()))));
    }

    private static async Task<IResult> CompleteAsync(
        OpenAiChatRequest request, HttpContext http, DialogueManager dialogue, ISessionStore sessions, ChatBackends backends,
        ITokenCounter tokens, TimeProvider time, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        if (request.Messages is not { Count: > 0 } messages)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["messages"] = ["At least one message is required."] });
        var last = messages[^1];
        if (last.Role != "user" || string.IsNullOrWhiteSpace(last.Text()))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["messages"] = ["The last message must be the customer's (role \"user\") with text."] });

        var history = messages.Take(messages.Count - 1)
            .Where(m => m.Role is "user" or "assistant" && !string.IsNullOrEmpty(m.Text()))
            .Select(m => new SessionMessage(m.Role!, m.Text()!, time.GetUtcNow()))
            .ToList();
        var sessionId = http.Request.Headers[SessionHeader].ToString();
        var text = last.Text()!;
        if (dialogue.CheckMessage(text) is { } problem)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["messages"] = [problem] });
        var id = OpenAiFormat.NewId();
        var created = OpenAiFormat.UnixSeconds(time.GetUtcNow());
        var model = string.IsNullOrEmpty(request.Model) ? backends.PrimaryName : request.Model;
        if (sessionId.Length > 0)
        {
            if (await sessions.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) is not { } stored)
                return UnknownSession(sessionId);
            if (dialogue.IsAtTurnLimit(stored.CustomerTurns))
                return ConversationLimitProblem.Create(sessionId, dialogue.MaxCustomerTurns);
        }
        else if (dialogue.IsAtTurnLimit(history.Count(m => m.Role == SessionMessage.User)))
        {
            // Checked before a stream starts: once it has, the client could only see a broken stream.
            return ConversationLimitProblem.Create("", dialogue.MaxCustomerTurns);
        }
        if (request.Stream == true)
        {
            Task<TurnResult> Turn(TextSink sink, CancellationToken ct) => sessionId.Length == 0
                ? dialogue.HandleStatelessAsync(history, text, sink, ct)
                : dialogue.HandleAsync(sessionId, text, sink, ct);
            return TypedResults.ServerSentEvents(StreamAsync(id, created, model, Turn, json.Value.SerializerOptions, cancellationToken));
        }

        TurnResult turn;
        try
        {
            turn = sessionId.Length == 0
                ? await dialogue.HandleStatelessAsync(history, text, cancellationToken).ConfigureAwait(false)
                : await dialogue.HandleAsync(sessionId, text, cancellationToken).ConfigureAwait(false);
        }
        catch (SessionNotFoundException)
        {
            return UnknownSession(sessionId);
        }
        catch (ConversationLimitException e)
        {
            return ConversationLimitProblem.Create(e);
        }
        var promptTokens = messages.Sum(m => tokens.CountTokens(m.Text() ?? ""));
        return TypedResults.Ok(OpenAiFormat.Completion(id, created, model, turn, promptTokens, tokens.CountTokens(turn.Reply)));
    }

    /// <summary>
    /// Runs the turn while the response streams: every piece of text the brain produces (a model's tokens as they
    /// arrive) becomes a chunk at once; the last chunk carries the finish reason and Kefu's details.
    /// </summary>
    private static async IAsyncEnumerable<string> StreamAsync(
        string id, long created, string model, Func<TextSink, CancellationToken, Task<TurnResult>> turn, JsonSerializerOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var chunks = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
        ValueTask Sink(string delta, CancellationToken _)
        {
            foreach (var piece in OpenAiFormat.Pieces(delta))
                chunks.Writer.TryWrite(OpenAiFormat.Serialize(OpenAiFormat.ContentChunk(id, created, model, piece), options));
            return ValueTask.CompletedTask;
        }
        var running = Task.Run(async () =>
        {
            try
            {
                var result = await turn(Sink, cancellationToken).ConfigureAwait(false);
                chunks.Writer.TryWrite(OpenAiFormat.Serialize(OpenAiFormat.FinalChunk(id, created, model, result), options));
                chunks.Writer.TryComplete();
            }
            catch (Exception e)
            {
                chunks.Writer.TryComplete(e);
            }
        }, cancellationToken);

        yield return OpenAiFormat.Serialize(OpenAiFormat.RoleChunk(id, created, model), options);
        await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            yield return chunk;
        await running.ConfigureAwait(false);
        yield return "[DONE]";
    }

    private static ProblemHttpResult UnknownSession(string sessionId) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown session", detail: $"There is no session {sessionId}.");
}
