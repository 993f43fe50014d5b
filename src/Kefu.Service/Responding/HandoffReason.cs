namespace Kefu.Service.Responding;

/// <summary>Why a conversation went to a human.</summary>
public enum HandoffReason
{
    /// <summary>The customer asked for a person.</summary>
    Requested,

    /// <summary>Turns in a row went unanswered.</summary>
    Unresolved,

    /// <summary>A complaint that needs a person.</summary>
    Complaint,

    /// <summary>The order system could not be reached for something only it can do.</summary>
    ToolUnavailable,

    /// <summary>The customer is strongly upset (anger, repeated frustration): a person calms it faster than a bot.</summary>
    NegativeSentiment,

    /// <summary>A safety event: the customer's message was blocked for a severe listed word.</summary>
    Safety,

    /// <summary>The conversation reached the most customer messages one conversation may hold (<see cref="KefuServiceOptions.MaxCustomerTurns"/>).</summary>
    TurnLimit,
}
