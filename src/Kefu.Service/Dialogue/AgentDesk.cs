using Kefu.Safety.Pii;

namespace Kefu.Service.Dialogue;

/// <summary>
/// The human side of hand-off: the queue of waiting conversations, claiming one (waiting_for_human → human; only one
/// agent can), reading its whole history, replying in it (each reply also stored as a corrected answer for the
/// learning loop), handing it back to the bot, or closing it as resolved.
/// </summary>
public sealed class AgentDesk(ISessionStore store, SessionLocks locks, TimeProvider time)
{
    /// <summary>Conversations waiting for a person, longest-waiting first.</summary>
    public Task<IReadOnlyList<Session>> QueueAsync(int limit, CancellationToken cancellationToken) =>
        store.ListAsync(SessionState.WaitingForHuman, limit, cancellationToken);

    /// <summary>A conversation with its recent messages; throws <see cref="SessionNotFoundException"/>.</summary>
    public async Task<Session> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw new SessionNotFoundException(sessionId);

    /// <summary>A conversation with every message and its turn log (tool calls, reasons).</summary>
    public async Task<(Session Session, SessionHistory History)> HistoryAsync(string sessionId, CancellationToken cancellationToken)
    {
        var session = await GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
        return (session, await store.HistoryAsync(sessionId, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Gives a waiting conversation to <paramref name="agent"/>. The store's conditional update decides between
    /// agents claiming at once (on any replica): the loser gets a <see cref="SessionStateException"/>.
    /// </summary>
    public async Task<Session> AcceptAsync(string sessionId, string agent, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agent);
        bool claimed;
        // Under the session's lock: a customer turn that read the session just before the claim would otherwise save
        // its stale "waiting" state right after it and silently undo the claim (other replicas: the store's row check).
        using (await locks.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false))
            claimed = await store.TryClaimAsync(sessionId, agent, cancellationToken).ConfigureAwait(false);
        if (!claimed)
        {
            var current = await GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
            throw new SessionStateException(current.State == SessionState.Human
                ? $"Session {sessionId} was already claimed by {current.AssignedAgent}."
                : $"Session {sessionId} is {current.State}, not waiting for a human.");
        }
        return await GetAsync(sessionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replies as the agent who claimed the conversation, and stores the reply as a corrected answer.</summary>
    public async Task<Session> ReplyAsync(string sessionId, string agent, string text, CancellationToken cancellationToken)
    {
        var session = await ChangeAsync(sessionId, session =>
        {
            if (session.State != SessionState.Human)
                throw new SessionStateException($"Session {sessionId} is {session.State}; accept it before replying.");
            if (!string.Equals(session.AssignedAgent, agent, StringComparison.Ordinal))
                throw new SessionStateException($"Session {sessionId} is with {session.AssignedAgent}, not {agent}.");
            if (string.IsNullOrWhiteSpace(text))
                throw new ArgumentException("The reply is empty.", nameof(text));
            return new SessionMessage(SessionMessage.Agent, text, time.GetUtcNow());
        }, cancellationToken).ConfigureAwait(false);
        await store.SaveCorrectionAsync(Correction(session, agent, text), cancellationToken).ConfigureAwait(false);
        return session;
    }

    /// <summary>Hands the conversation back to the bot, with a clean unresolved count.</summary>
    public Task<Session> ReleaseAsync(string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            session.State = SessionState.Bot;
            Dequeue(session);
            return null;
        }, cancellationToken);

    public Task<Session> ResolveAsync(string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            session.State = SessionState.Resolved;
            session.Pending = null;
            Dequeue(session);
            return null;
        }, cancellationToken);

    /// <summary>The corrected answers stored so far, newest first (what the learning loop harvests).</summary>
    public Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAsync(int limit, CancellationToken cancellationToken) =>
        store.CorrectionsAsync(limit, cancellationToken);

    private static void Dequeue(Session session)
    {
        session.UnresolvedTurns = 0;
        session.QueuedAt = null;
        session.HandoffReason = null;
        session.AssignedAgent = null;
    }

    /// <summary>
    /// The question is the customer's last message before this reply; the bot's answer is what the bot said right
    /// after it (null when the bot stayed silent, as it does while a person has the conversation).
    /// </summary>
    private CorrectedAnswer Correction(Session session, string agent, string text)
    {
        var messages = session.Messages;
        var questionIndex = messages.FindLastIndex(m => m.Role == SessionMessage.User);
        var question = questionIndex < 0 ? "" : messages[questionIndex].Content;
        var botAnswer = questionIndex < 0 ? null
            : messages.Skip(questionIndex + 1).TakeWhile(m => m.Role != SessionMessage.User).FirstOrDefault(m => m.Role == SessionMessage.Assistant)?.Content;
        var pii = PiiScanner.Default;
        return new CorrectedAnswer(session.Id, pii.Mask(question), botAnswer is null ? null : pii.Mask(botAnswer), pii.Mask(text), agent, time.GetUtcNow());
    }

    private async Task<Session> ChangeAsync(string sessionId, Func<Session, SessionMessage?> change, CancellationToken cancellationToken)
    {
        using var held = await locks.AcquireAsync(sessionId, cancellationToken).ConfigureAwait(false);
        var session = await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw new SessionNotFoundException(sessionId);
        var message = change(session);
        session.UpdatedAt = time.GetUtcNow();
        await store.SaveAsync(session, message is null ? [] : [message], null, cancellationToken).ConfigureAwait(false);
        if (message is not null)
            session.Messages.Add(message);
        return session;
    }
}
