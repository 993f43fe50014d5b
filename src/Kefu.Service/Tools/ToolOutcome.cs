namespace Kefu.Service.Tools;

/// <summary>How a tool call ended.</summary>
public enum ToolOutcome
{
    /// <summary>Done; the result has data.</summary>
    Success,

    /// <summary>The system said no for a business reason (an address change after shipment).</summary>
    Refused,

    /// <summary>The thing asked about does not exist (an unknown order number).</summary>
    NotFound,

    /// <summary>The arguments broke the tool's schema; nothing was called.</summary>
    InvalidArguments,

    /// <summary>The system could not be reached in time (timeouts, errors, open circuit).</summary>
    Unavailable,

    /// <summary>Not called: the customer has not confirmed yet.</summary>
    NeedsConfirmation,
}
