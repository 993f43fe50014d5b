namespace Kefu.Service.Dialogue;

/// <summary>One turn of the conversation log with the customer message it answered.</summary>
/// <param name="SessionId">The conversation.</param>
/// <param name="Question">The customer's message the turn handled (PII as stored), or empty when none was found.</param>
/// <param name="Entry">The turn's log entry (intent, reason, tool calls, resolved, hand-off, latency).</param>
public sealed record LoggedTurn(string SessionId, string Question, TurnLogEntry Entry);
