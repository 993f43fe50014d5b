using Kefu.Safety.Injection;
using Kefu.Safety.Replies;
using Kefu.Safety.Words;

namespace Kefu.Safety.Guards;

/// <summary>What a guard decided about one message or reply.</summary>
/// <param name="Action">
/// Allow, flag (pass on, record), mask (pass on <see cref="Text"/>) or block (do not pass on; send <see cref="Reply"/>).
/// </param>
/// <param name="Text">The text to pass on or log: masked where the word lists say so, never carrying a blocked word.</param>
/// <param name="Reply">What to send the customer instead when blocked; null otherwise.</param>
/// <param name="Reasons">
/// Stable codes for metrics and logs: <c>word:{category}</c>, <c>injection:{reason}</c>, <c>anomaly:{kind}</c>.
/// </param>
/// <param name="WordHits">Listed words found (flags included).</param>
/// <param name="Injection">The injection assessment (input only).</param>
/// <param name="Anomalies">The reply anomaly check (output only).</param>
public sealed record GuardVerdict(
    SafetyAction Action,
    string Text,
    string? Reply,
    IReadOnlyList<string> Reasons,
    IReadOnlyList<SensitiveWordHit> WordHits,
    InjectionVerdict? Injection = null,
    ReplyAnomalyVerdict? Anomalies = null)
{
    public bool IsBlocked => Action == SafetyAction.Block;

    /// <summary>
    /// Whether the turn answered nothing (a replaced reply): the dialogue manager counts it toward the hand-off rule.
    /// </summary>
    public bool CountsAsUnresolved { get; init; }
}
