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

    /// <summary>The session's place in the agent queue (1 = next), or 0 when it is not queued.</summary>
    Task<int> QueuePositionAsync(Session session, CancellationToken cancellationToken);

    /// <summary>
    /// Gives a waiting session to <paramref name="agent"/> atomically: true for the one claim that wins, false when the
    /// session is not (or no longer) waiting.
    /// </summary>
    Task<bool> TryClaimAsync(string sessionId, string agent, CancellationToken cancellationToken);

    /// <summary>Every message of the session and its turn log (tool calls, reasons), oldest first.</summary>
    Task<SessionHistory> HistoryAsync(string sessionId, CancellationToken cancellationToken);

    /// <summary>Stores an agent's answer beside the bot's, for the learning loop.</summary>
    Task SaveCorrectionAsync(CorrectedAnswer correction, CancellationToken cancellationToken);

    /// <summary>The stored corrected answers, newest first.</summary>
    Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAsync(int limit, CancellationToken cancellationToken);
}
