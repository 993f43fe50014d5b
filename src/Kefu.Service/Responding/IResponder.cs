using Kefu.Service.Dialogue;
using Kefu.Service.Routing;

namespace Kefu.Service.Responding;

/// <summary>Produces the reply to a routed turn: from the knowledge base and templates, or with a model.</summary>
public interface IResponder
{
    /// <summary>
    /// Replies to the turn. A responder that can stream sends the text to <paramref name="stream"/> as it is
    /// produced and marks the reply <see cref="ResponderReply.Streamed"/>; others leave streaming to the caller.
    /// </summary>
    Task<ResponderReply> RespondAsync(Session session, string message, RouteDecision route, TextSink? stream, CancellationToken cancellationToken);
}
