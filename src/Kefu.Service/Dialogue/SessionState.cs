namespace Kefu.Service.Dialogue;

/// <summary>Who is answering a conversation.</summary>
public enum SessionState
{
    /// <summary>The assistant answers.</summary>
    Bot,

    /// <summary>Handed off; the customer is queued for a human agent and the assistant stays quiet.</summary>
    WaitingForHuman,

    /// <summary>A human agent has taken the conversation.</summary>
    Human,

    /// <summary>Closed as solved; a new message reopens it with the assistant.</summary>
    Resolved,
}
