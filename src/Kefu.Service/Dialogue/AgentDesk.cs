namespace Kefu.Service.Dialogue;

/// <summary>
/// The human side of hand-off: the queue of waiting conversations, taking one (waiting_for_human → human),
/// replying in it, handing it back to the bot, or closing it as resolved.
/// </summary>
public sealed class AgentDesk(ISessionStore store, SessionLocks locks, TimeProvider time)
{
    /// <summary>Conversations waiting for a person, longest-waiting first.</summary>
    public Task<IReadOnlyList<Session>> QueueAsync(int limit, CancellationToken cancellationToken) =>
        store.ListAsync(SessionState.WaitingForHuman, limit, cancellationToken);

    /// <summary>A conversation with its recent messages; throws <see cref="SessionNotFoundException"/>.</summary>
    public async Task<Session> GetAsync(string sessionId, CancellationToken cancellationToken) =>
        await store.FindAsync(sessionId, cancellationToken).ConfigureAwait(false) ?? throw new SessionNotFoundException(sessionId);

    public Task<Session> AcceptAsync(string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            if (session.State != SessionState.WaitingForHuman)
                throw new SessionStateException($"Session {sessionId} is {session.State}, not waiting for a human.");
            session.State = SessionState.Human;
            return null;
        }, cancellationToken);

    public Task<Session> ReplyAsync(string sessionId, string text, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            if (session.State != SessionState.Human)
                throw new SessionStateException($"Session {sessionId} is {session.State}; accept it before replying.");
            if (string.IsNullOrWhiteSpace(text))
                throw new ArgumentException("The reply is empty.", nameof(text));
            return new SessionMessage(SessionMessage.Agent, text, time.GetUtcNow());
        }, cancellationToken);

    /// <summary>Hands the conversation back to the bot, with a clean unresolved count.</summary>
    public Task<Session> ReleaseAsync(string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            session.State = SessionState.Bot;
            session.UnresolvedTurns = 0;
            return null;
        }, cancellationToken);

    public Task<Session> ResolveAsync(string sessionId, CancellationToken cancellationToken) =>
        ChangeAsync(sessionId, session =>
        {
            session.State = SessionState.Resolved;
            session.UnresolvedTurns = 0;
            session.Pending = null;
            return null;
        }, cancellationToken);

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
