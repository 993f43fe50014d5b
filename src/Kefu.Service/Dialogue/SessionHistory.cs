namespace Kefu.Service.Dialogue;

/// <summary>A whole conversation as an agent reads it: every message and the log of every turn.</summary>
/// <param name="Messages">All messages, oldest first.</param>
/// <param name="Turns">The conversation log (intent, reason, tool calls with their outcomes), oldest first; PII masked.</param>
public sealed record SessionHistory(IReadOnlyList<SessionMessage> Messages, IReadOnlyList<TurnLogEntry> Turns);
