namespace Kefu.Safety.Replies;

/// <summary>The anomaly check of one reply.</summary>
/// <param name="Anomalies">Everything found; empty for a sound reply.</param>
/// <param name="FallbackReply">What to send instead when anomalous (null otherwise).</param>
public sealed record ReplyAnomalyVerdict(IReadOnlyList<ReplyAnomaly> Anomalies, string? FallbackReply)
{
    public bool IsAnomalous => Anomalies.Count > 0;

    /// <summary>
    /// An anomalous reply is replaced by the fallback, which answers nothing: the turn counts as unresolved (two in a
    /// row hand the session to a human).
    /// </summary>
    public bool CountsAsUnresolved => IsAnomalous;

    public bool Has(ReplyAnomalyKind kind) => Anomalies.Any(a => a.Kind == kind);
}
