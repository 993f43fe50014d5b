namespace Kefu.Service.Dialogue;

/// <summary>A request named a session that does not exist (or no longer does).</summary>
public sealed class SessionNotFoundException : Exception
{
    public SessionNotFoundException(string sessionId) : base($"No session {sessionId}.") => SessionId = sessionId;

    public SessionNotFoundException() => SessionId = "";

    public SessionNotFoundException(string message, Exception innerException) : base(message, innerException) => SessionId = "";

    public string SessionId { get; }
}
