namespace Kefu.Service.Dialogue;

/// <summary>
/// An agent's answer to a question the bot handed over, kept beside the bot's own answer so the learning loop can
/// turn it into training data. Text is stored with personal data masked (it is meant to leave the conversation).
/// </summary>
/// <param name="SessionId">The conversation.</param>
/// <param name="Question">The customer's last message before the agent answered.</param>
/// <param name="BotAnswer">What the bot said to that message (often the hand-off notice), or null.</param>
/// <param name="AgentAnswer">What the agent said.</param>
/// <param name="Agent">Who answered.</param>
/// <param name="At">When.</param>
public sealed record CorrectedAnswer(string SessionId, string Question, string? BotAnswer, string AgentAnswer, string Agent, DateTimeOffset At);
