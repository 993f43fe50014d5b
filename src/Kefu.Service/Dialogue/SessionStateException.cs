namespace Kefu.Service.Dialogue;

/// <summary>An operation that the session's current state does not allow (an agent replying to a bot session).</summary>
public sealed class SessionStateException : Exception
{
    public SessionStateException(string message) : base(message)
    {
    }

    public SessionStateException()
    {
    }

    public SessionStateException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
