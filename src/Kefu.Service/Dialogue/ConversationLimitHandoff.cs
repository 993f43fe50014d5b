using System.Diagnostics;
using Kefu.Service.Diagnostics;
using Kefu.Service.Responding;
using Microsoft.Extensions.Options;

namespace Kefu.Service.Dialogue;

/// <summary>
/// The customer channel's answer to a message beyond <see cref="KefuServiceOptions.MaxCustomerTurns"/>: the message is
/// not stored (the conversation stays bounded), and the customer is told so in words. A conversation with the bot goes
/// to a person, with the notice as its one new message, so someone reads what the customer needed; one already with
/// (or waiting for) a person is left as it is, and nothing at all is stored, however many more messages arrive.
/// </summary>
public sealed class ConversationLimitHandoff(
    ISessionStore store, SessionLocks locks, ReplyTemplates templates, ServiceMetrics metrics, TimeProvider time, IOptions<KefuServiceOptions> options)
{
    /// <summary>The snake_case hand-off reason and turn intent this writes.</summary>
    public const string Reason = "turn_limit";

    /// <summary>Tells the customer, hands the conversation to a person when the bot has it, and sends the notice to <paramref name="stream"/>.</summary>
    public async Task<TurnResult> HandleAsync(string sessionId, TextSink? stream, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var limit = options.Value.MaxCustomerTurns;
        Session session;
        string text;
        using (await locks.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false))
        {
            session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw new SessionNotFoundException(sessionId);
            if (session.State is SessionState.WaitingForHuman or SessionState.Human)
            {
                text = ReplyTemplates.TurnLimitWithHuman(limit);
            }
            else
            {
                var now = time.GetUtcNow();
                session.State = SessionState.WaitingForHuman;
                session.UnresolvedTurns = 0;
                session.Pending = null;
                session.AssignedAgent = null;
                session.QueuedAt = now;
                session.HandoffReason = Reason;
                session.UpdatedAt = now;
                text = templates.Handoff(HandoffReason.TurnLimit, await store.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false));
                // No turn log entry: the customer's message is not stored, so there is no turn to log — only the state
                // change and the notice, in one transaction.
                await store.SaveAsync(session, [new SessionMessage(SessionMessage.Assistant, text, now)], null, cancellationToken).ConfigureAwait(false);
                metrics.HandedOff(Reason);
            }
        }
        if (stream is not null)
            await stream(text, cancellationToken).ConfigureAwait(false);
        var latency = Math.Round(Stopwatch.GetElapsedTime(started).TotalMilliseconds, 2);
        return new TurnResult(session.Id, text, [], [], Handoff: true, session.State, Reason, $"the conversation already has {limit} customer messages", latency);
    }
}
