namespace Kefu.Service.Dialogue;

/// <summary>
/// A customer message beyond <see cref="KefuServiceOptions.MaxCustomerTurns"/>: thrown before anything of the turn is
/// stored, so the conversation is exactly as it was.
/// </summary>
public sealed class ConversationLimitException : Exception
{
    public ConversationLimitException(string sessionId, int limit)
        : base($"Session {sessionId} already has {limit} customer messages, the most one conversation may hold (MaxCustomerTurns = {limit}); start a new conversation.")
    {
        SessionId = sessionId;
        Limit = limit;
    }

    public ConversationLimitException() => SessionId = "";

    public ConversationLimitException(string message, Exception innerException) : base(message, innerException) => SessionId = "";

    /// <summary>The conversation at its limit ("" for a conversation the caller keeps itself).</summary>
    public string SessionId { get; }

    /// <summary>The configured limit.</summary>
    public int Limit { get; }
}
