namespace Kefu.Safety.Words;

/// <summary>The outcome of checking one text against the word lists.</summary>
/// <param name="Action">The strongest action any hit calls for (<see cref="SafetyAction.Allow"/> when none).</param>
/// <param name="Text">
/// The text with every hit whose action is mask or block replaced by asterisks: what to forward when the action is
/// mask, and what to log when it is block (so logs never carry the blocked word either).
/// </param>
/// <param name="Hits">Every hit not suppressed by the whitelist, flags included, in order of position.</param>
public sealed record WordCheckResult(SafetyAction Action, string Text, IReadOnlyList<SensitiveWordHit> Hits);
