using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Kefu.Safety;
using Kefu.Safety.Guards;
using Kefu.Safety.Pii;
using Kefu.Safety.Replies;
using Kefu.Service.Diagnostics;
using Kefu.Service.Guarding;
using Kefu.Service.Responding;
using Kefu.Service.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Kefu.Service.Dialogue;

/// <summary>
/// Runs a customer turn end to end: the input guard, session state, remembered slots, routing, the policy intents (unsafe, human
/// request, formal complaint), a prepared action the customer is answering, the responder (model or retrieval),
/// the output guard (streamed output filtered as it goes), the hand-off policy, and the conversation log — then persists it all in one transaction.
/// </summary>
public sealed partial class DialogueManager(
    ISessionStore store,
    SessionLocks locks,
    TurnRouter router,
    OrderDesk orderDesk,
    RetrievalResponder retrievalResponder,
    ModelResponder modelResponder,
    ChatBackends backends,
    Guardrails guardrails,
    SlotExtractor slotExtractor,
    ReplyTemplates templates,
    ServiceMetrics metrics,
    TimeProvider time,
    IOptions<KefuServiceOptions> options,
    ILogger<DialogueManager> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Handles a message in a stored session (created when <paramref name="sessionId"/> is null).
    /// Throws <see cref="SessionNotFoundException"/> for an unknown id, <see cref="ArgumentException"/> for an
    /// empty or over-long message and <see cref="ConversationLimitException"/> when the conversation is at its limit.
    /// </summary>
    public Task<TurnResult> HandleAsync(string? sessionId, string message, CancellationToken cancellationToken) =>
        HandleAsync(sessionId, message, null, cancellationToken);

    /// <summary>
    /// As <see cref="HandleAsync(string?, string, CancellationToken)"/>, sending the reply's text to
    /// <paramref name="stream"/> as it is produced (a model's tokens as they arrive; a templated reply at once).
    /// </summary>
    public async Task<TurnResult> HandleAsync(string? sessionId, string message, TextSink? stream, CancellationToken cancellationToken)
    {
        ValidateMessage(message);
        if (sessionId is null)
        {
            // A new id is known to no one else yet, so its first turn needs no lock.
            var created = await store.CreateAsync(cancellationToken).ConfigureAwait(false);
            return await RunTurnAsync(created, message, stream, cancellationToken).ConfigureAwait(false);
        }
        using var held = await locks.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw new SessionNotFoundException(sessionId);
        // Checked under the lock, before anything is stored: two quick messages cannot both slip past the limit.
        if (IsAtTurnLimit(session.CustomerTurns))
            throw new ConversationLimitException(sessionId, MaxCustomerTurns);
        return await RunTurnAsync(session, message, stream, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Handles the last message of a conversation the caller keeps itself (OpenAI-style requests carry their
    /// history): slots are recovered from the earlier customer messages, and nothing is stored.
    /// </summary>
    public Task<TurnResult> HandleStatelessAsync(IReadOnlyList<SessionMessage> history, string message, CancellationToken cancellationToken) =>
        HandleStatelessAsync(history, message, null, cancellationToken);

    /// <summary>As the overload without <paramref name="stream"/>, streaming the reply's text.</summary>
    public Task<TurnResult> HandleStatelessAsync(IReadOnlyList<SessionMessage> history, string message, TextSink? stream, CancellationToken cancellationToken)
    {
        ValidateMessage(message);
        if (IsAtTurnLimit(history.Count(m => m.Role == SessionMessage.User)))
            throw new ConversationLimitException("", MaxCustomerTurns);
        var now = time.GetUtcNow();
        var session = new Session
        {
            Id = "t_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            CreatedAt = now,
            UpdatedAt = now,
            IsTransient = true,
            Messages = [.. history],
        };
        foreach (var earlier in history.Where(m => m.Role == SessionMessage.User))
        {
            foreach (var slot in slotExtractor.Extract(earlier.Content))
                session.Slots[slot.Key] = slot.Value;
        }
        return RunTurnAsync(session, message, stream, cancellationToken);
    }

    private async Task<TurnResult> RunTurnAsync(Session session, string message, TextSink? stream, CancellationToken cancellationToken)
    {
        using var turn = ServiceTelemetry.StartTurn();
        // The session id is a random token, not personal data; it joins a trace to the conversation log.
        turn?.SetTag("kefu.session.id", session.Id);
        turn?.SetTag("kefu.session.transient", session.IsTransient);
        turn?.SetTag("kefu.streamed", stream is not null);
        try
        {
            var result = await RunTurnCoreAsync(session, message, stream, cancellationToken).ConfigureAwait(false);
            turn?.SetTag("kefu.intent", result.Intent);
            turn?.SetTag("kefu.handoff", result.Handoff);
            turn?.SetTag("kefu.session.state", result.State.ToString());
            turn?.SetTag("kefu.tool_calls", result.ToolCalls.Count);
            turn?.SetTag("kefu.sources", result.Sources.Count);
            return result;
        }
        catch (Exception e) when (turn is not null)
        {
            turn.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            turn.SetTag("error.type", e.GetType().FullName);
            throw;
        }
    }

    private async Task<TurnResult> RunTurnCoreAsync(Session session, string message, TextSink? stream, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        // The input guard first: what is stored, routed and shown to a model is its text (masked words masked).
        GuardVerdict input;
        using (var stage = metrics.BeginStage(StageNames.InputGuard))
        {
            input = guardrails.CheckInput(message);
            stage.Tag("kefu.guard.blocked", input.IsBlocked)
                .Tag("kefu.guard.word_hits", input.WordHits.Count)
                .Tag("kefu.guard.injection", input.Injection is { IsSuspected: true });
        }
        message = input.Text;
        var newMessages = new List<SessionMessage> { new(SessionMessage.User, message, now) };
        foreach (var slot in slotExtractor.Extract(message))
            session.Slots[slot.Key] = slot.Value;
        if (session.State == SessionState.Resolved)
            session.State = SessionState.Bot;

        if (session.State is SessionState.WaitingForHuman or SessionState.Human)
        {
            // A person has (or is about to have) the conversation: store the message for them and stay quiet,
            // apart from telling a waiting customer they are still queued, and where.
            var waiting = session.State == SessionState.WaitingForHuman
                ? ReplyTemplates.WaitingForHuman(await store.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false))
                : "";
            if (waiting.Length > 0)
            {
                newMessages.Add(new SessionMessage(SessionMessage.Assistant, waiting, now));
                if (stream is not null)
                    await stream(waiting, cancellationToken).ConfigureAwait(false);
            }
            return await FinishAsync(session, newMessages, started, "human", "session is with a human agent",
                ResponderReply.Answered(waiting), handoff: true, cancellationToken).ConfigureAwait(false);
        }

        var output = new GuardedStream(guardrails, stream);
        RouteDecision route;
        ResponderReply reply;
        if (input.IsBlocked)
        {
            (route, reply) = Refuse(session, input);
        }
        else
        {
            using (var stage = metrics.BeginStage(StageNames.Route))
            {
                route = await router.RouteAsync(session, message, cancellationToken).ConfigureAwait(false);
                TurnSpanTags.Route(stage, route);
            }
            using (var stage = metrics.BeginStage(StageNames.Respond))
            {
                stage.Tag("kefu.responder", backends.Primary is null ? "retrieval" : "model");
                reply = await RespondAsync(session, message, route, output.Sink, cancellationToken).ConfigureAwait(false);
                TurnSpanTags.Reply(stage, reply);
            }
            using (var stage = metrics.BeginStage(StageNames.OutputGuard))
                reply = await CheckReplyAsync(message, reply, output, stage, cancellationToken).ConfigureAwait(false);
        }
        HandoffReason? handoff;
        var queuePosition = 0;
        using (var stage = metrics.BeginStage(StageNames.Handoff))
        {
            handoff = HandoffPolicy.Apply(session, route, reply, options.Value.UnresolvedTurnsBeforeHandoff);
            if (reply.ClosesSession && handoff is null)
                session.State = SessionState.Resolved;
            if (handoff is { } queuedFor)
            {
                session.QueuedAt = time.GetUtcNow();
                session.HandoffReason = JsonNamingPolicy.SnakeCaseLower.ConvertName(queuedFor.ToString());
                queuePosition = await store.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false);
            }
            stage.Tag("kefu.handoff", handoff is not null)
                .Tag("kefu.handoff.reason", session.HandoffReason is { } why && handoff is not null ? why : null)
                .Tag("kefu.unresolved_turns", session.UnresolvedTurns)
                .Tag("kefu.reply.resolved", reply.Resolved);
        }
        var text = handoff switch
        {
            null => reply.Text,
            // The hand-off message already apologises for not answering; repeating "don't know" first adds nothing
            // (unless part of the answer has already been streamed to the customer).
            HandoffReason.Requested or HandoffReason.Complaint or HandoffReason.Unresolved or HandoffReason.NegativeSentiment
                when output.Sent.Length == 0 => templates.Handoff(handoff.Value, queuePosition),
            _ => $"{reply.Text}\n\n{templates.Handoff(handoff.Value, queuePosition)}",
        };
        await output.FinishAsync(text, cancellationToken).ConfigureAwait(false);
        if (handoff is { } reason)
        {
            metrics.HandedOff(session.HandoffReason!);
            LogHandoff(session.Id, reason);
        }
        newMessages.Add(new SessionMessage(SessionMessage.Assistant, text, time.GetUtcNow()));
        var intent = JsonNamingPolicy.SnakeCaseLower.ConvertName(route.Intent.ToString());
        return await FinishAsync(session, newMessages, started, intent, route.Reason, reply with { Text = text },
            handoff is not null, cancellationToken, route.Hits.Count == 0 ? null : route.BestConfidence).ConfigureAwait(false);
    }

    /// <summary>
    /// The answer to a message the input guard blocked: a suspected injection gets a safe answer (the turn is
    /// handled); listed words ask the customer to rephrase (unresolved), and severe ones hand the conversation to a
    /// person.
    /// </summary>
    private (RouteDecision Route, ResponderReply Reply) Refuse(Session session, GuardVerdict input)
    {
        session.Pending = null;
        var route = new RouteDecision(TurnIntent.Unsafe, OrderAction.None, "input guard: " + string.Join(", ", input.Reasons), [], Upset: false);
        if (Guardrails.IsInjection(input))
            return (route, ResponderReply.Answered(input.Reply ?? templates.Refusal()));
        var severe = input.WordHits.Any(h => h.ActionFor(TextDirection.Input) == SafetyAction.Block
            && h.Category.Severity >= options.Value.Guardrails.HandoffSeverity);
        return (route, ResponderReply.Unanswered(input.Reply ?? templates.Refusal()) with { Handoff = severe ? HandoffReason.Safety : null });
    }

    /// <summary>
    /// The output guard on a model's reply: listed words (the stream filter has already held them back from the
    /// customer) and anomalies against the customer's message and the tool results. A blocked or anomalous reply is
    /// replaced by the safe fallback and the turn counts as unresolved.
    /// </summary>
    private async Task<ResponderReply> CheckReplyAsync(
        string message, ResponderReply reply, GuardedStream output, StageSpan stage, CancellationToken cancellationToken)
    {
        await output.CompleteAsync(cancellationToken).ConfigureAwait(false);
        // Templated and retrieved replies are the shop's own text; only generated ones are checked.
        stage.Tag("kefu.guard.checked", reply.Generated);
        if (!reply.Generated)
            return reply;
        var verdict = guardrails.CheckOutput(reply.Text, new ReplyContext(message, reply.ToolResults));
        stage.Tag("kefu.guard.blocked", verdict.IsBlocked || output.Blocked)
            .Tag("kefu.guard.word_hits", verdict.WordHits.Count)
            .Tag("kefu.guard.anomalies", verdict.Anomalies?.Anomalies.Count ?? 0);
        if (verdict.IsBlocked || output.Blocked)
        {
            LogReplyReplaced(string.Join(", ", verdict.Reasons));
            return reply with
            {
                Text = verdict.Reply ?? new SafetyReplies().BlockedOutput,
                Resolved = false,
                Cited = [],
                ClosesSession = false,
            };
        }
        return verdict.Action == SafetyAction.Mask ? reply with { Text = verdict.Text } : reply;
    }

    private async Task<ResponderReply> RespondAsync(Session session, string message, RouteDecision route, TextSink? stream, CancellationToken cancellationToken)
    {
        switch (route.Intent)
        {
            case TurnIntent.Unsafe:
                session.Pending = null;
                return ResponderReply.Answered(templates.Refusal());
            case TurnIntent.HumanRequest:
                return ResponderReply.Answered("");
            case TurnIntent.Complaint when route.Escalate:
                return ResponderReply.Unanswered("");
        }
        if (session.Pending is not null
            && await orderDesk.ContinueAsync(session, message, cancellationToken).ConfigureAwait(false) is { } continued)
        {
            return continued;
        }
        IResponder responder = backends.Primary is null ? retrievalResponder : modelResponder;
        return await responder.RespondAsync(session, message, route, stream, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TurnResult> FinishAsync(
        Session session, List<SessionMessage> newMessages, long started, string intent, string reason, ResponderReply reply,
        bool handoff, CancellationToken cancellationToken, double? confidence = null)
    {
        session.UpdatedAt = time.GetUtcNow();
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latency = Math.Round(elapsed.TotalMilliseconds, 2);
        // A caller-kept conversation is stored only when it goes to a human: the agent needs it in the queue,
        // with the history the caller sent.
        if (!session.IsTransient || handoff)
        {
            // The conversation log is for analytics and learning: personal data is masked as it is written.
            var log = new TurnLogEntry(session.UpdatedAt, intent, PiiScanner.Default.Mask(reason), confidence,
                PiiScanner.Default.Mask(JsonSerializer.Serialize(reply.ToolCalls, Json)), reply.Resolved, handoff, latency);
            var messages = session.IsTransient ? [.. session.Messages, .. newMessages] : newMessages;
            await store.SaveAsync(session, messages, log, cancellationToken).ConfigureAwait(false);
        }
        metrics.TurnHandled(intent, reply.Resolved, elapsed);
        // The stages' spans are closed by now, so the current span is the turn's.
        if (Activity.Current is { } turn && turn.Source == ServiceTelemetry.Source)
            turn.SetTag("kefu.resolved", reply.Resolved);
        var sources = reply.Cited.Select(h => new SourceCitation(h.Source, h.Anchor, h.Title, Math.Round(h.Confidence, 3))).ToList();
        return new TurnResult(session.Id, reply.Text, sources, reply.ToolCalls, handoff, session.State, intent, reason, latency);
    }

    /// <summary>What is wrong with a customer message (empty, too long), or null when it can be handled.</summary>
    public string? CheckMessage(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "The message is empty."
        : message.Length > options.Value.MaxMessageCharacters ? $"The message is longer than {options.Value.MaxMessageCharacters} characters."
        : null;

    /// <summary>The most messages a customer may send in one conversation.</summary>
    public int MaxCustomerTurns => options.Value.MaxCustomerTurns;

    /// <summary>Whether a conversation with this many customer messages already takes no more.</summary>
    public bool IsAtTurnLimit(int customerMessages) => customerMessages >= options.Value.MaxCustomerTurns;

    private void ValidateMessage(string message)
    {
        if (CheckMessage(message) is { } problem)
            throw new ArgumentException(problem, nameof(message));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Session {Session}: handed off to a human ({Reason})")]
    private partial void LogHandoff(string session, HandoffReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A model reply was replaced by the safe fallback ({Reasons})")]
    private partial void LogReplyReplaced(string reasons);
}
