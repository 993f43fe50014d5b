namespace Kefu.Service.Dialogue;

/// <summary>
/// A tool call the assistant has prepared but not made: it is waiting for a missing argument
/// (<see cref="AwaitingArgument"/>) or, when that is null, for the customer to confirm (refunds are never requested
/// without an explicit yes).
/// </summary>
/// <param name="Tool">The tool's name.</param>
/// <param name="Arguments">The arguments gathered so far.</param>
/// <param name="AwaitingArgument">The argument asked for next, or null when only confirmation is missing.</param>
public sealed record PendingAction(string Tool, IReadOnlyDictionary<string, string> Arguments, string? AwaitingArgument);
