namespace Kefu.Service.Dialogue;

/// <summary>Where conversations live between turns (SQLite by default; a shared database for several replicas).</summary>
public interface ISessionStore
{
    /// <summary>Creates and stores a new session answered by the bot.</summary>
    Task<Session> CreateAsync(CancellationToken cancellationToken);

    /// <summary>The session with its recent messages, or null when there is none with that id.</summary>
    Task<Session?> FindAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Saves the session's state, appends the turn's messages and its log entry, all in one transaction.</summary>
    Task SaveAsync(Session session, IReadOnlyList<SessionMessage> newMessages, TurnLogEntry? log, CancellationToken cancellationToken);

    /// <summary>Sessions in a state, oldest update first (the agent queue is <see cref="SessionState.WaitingForHuman"/>).</summary>
    Task<IReadOnlyList<Session>> ListAsync(SessionState state, int limit, CancellationToken cancellationToken);
}
