namespace Kefu.LoadTesting;

/// <summary>
/// The stored conversations compared with what the customers sent: every acknowledged customer message must be in
/// its session's history exactly once, in order, with one conversation-log entry per turn.
/// </summary>
/// <param name="Sessions">Conversations checked.</param>
/// <param name="MessagesStored">Customer messages found in the stored histories.</param>
/// <param name="Lost">Acknowledged customer messages missing from the history.</param>
/// <param name="Duplicated">Stored customer messages beyond what was sent (a turn stored twice).</param>
/// <param name="LogEntries">Turn-log entries found.</param>
/// <param name="Problems">One line per mismatch, naming the session.</param>
public sealed record ConversationLogCheck(int Sessions, int MessagesStored, int Lost, int Duplicated, int LogEntries, IReadOnlyList<string> Problems)
{
    public bool Consistent => Lost == 0 && Duplicated == 0 && Problems.Count == 0;
}
