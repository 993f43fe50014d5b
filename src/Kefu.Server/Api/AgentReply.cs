namespace Kefu.Server.Api;

/// <summary>Body of <c>POST /agent/sessions/{id}/reply</c>.</summary>
internal sealed record AgentReply(string? Message);
