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
}
