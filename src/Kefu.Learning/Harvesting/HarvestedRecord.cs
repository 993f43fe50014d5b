namespace Kefu.Learning.Harvesting;

/// <summary>A customer question and the agent's answer, PII-masked, ready to become a training record.</summary>
/// <param name="Id">Stable id: learn-yyyyMMdd-HHmmss-&lt;session prefix&gt;-&lt;n&gt;.</param>
/// <param name="Question">The customer's message (masked).</param>
/// <param name="Answer">The agent's answer (masked).</param>
/// <param name="BotAnswer">What the bot had said (masked), for the reviewer.</param>
/// <param name="SessionId">The conversation it came from.</param>
/// <param name="Agent">Who answered.</param>
/// <param name="At">When the agent answered.</param>
/// <param name="Context">
/// The conversation before the answer (masked; roles user/assistant, the agent's earlier messages as assistant),
/// ending with a customer message; just the question when the transcript was not available.
/// </param>
public sealed record HarvestedRecord(string Id, string Question, string Answer, string? BotAnswer, string SessionId, string Agent, DateTimeOffset At,
    IReadOnlyList<ContextMessage> Context);

/// <summary>One message of a harvested record's context.</summary>
public sealed record ContextMessage(string Role, string Content);
