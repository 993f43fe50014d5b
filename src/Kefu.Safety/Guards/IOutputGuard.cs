using Kefu.Safety.Replies;
using Kefu.Safety.Words;

namespace Kefu.Safety.Guards;

/// <summary>Checks a model reply before it reaches the customer.</summary>
public interface IOutputGuard
{
    /// <summary>Checks a complete reply: listed words, and anomalies against <paramref name="context"/>.</summary>
    GuardVerdict Check(string reply, ReplyContext context);

    /// <summary>
    /// A filter for a streamed reply: push chunks as they arrive and send only what it releases. Anomalies need the
    /// whole reply, so call <see cref="Check"/> on the completed text as well.
    /// </summary>
    IStreamingTextFilter BeginStream();
}
