namespace Kefu.Service.Dialogue;

/// <summary>A conversation as analytics sees it.</summary>
/// <param name="Id">The session id.</param>
/// <param name="State">Its state now.</param>
/// <param name="CreatedAt">When it started.</param>
/// <param name="HandoffReason">Why it was handed to a human, when it was.</param>
/// <param name="Agent">The agent who took it, when one did.</param>
public sealed record LoggedSession(string Id, SessionState State, DateTimeOffset CreatedAt, string? HandoffReason, string? Agent);
