namespace Kefu.Server.Api;

/// <summary>Body of <c>POST /chat</c>: a customer's message, in a new session when <see cref="SessionId"/> is null.</summary>
internal sealed record ChatRequest(string? SessionId, string? Message);
