using System.Text.RegularExpressions;

namespace Kefu.Safety.Injection;

/// <summary>
/// One prompt-injection heuristic: a regular expression over one form of the message and how much a match alone
/// says. Weights below the detector's threshold mark signals that customers also produce innocently ("这张券没有限制
/// 吗"); they count only together with another signal.
/// </summary>
/// <param name="Id">A stable id for logs and metrics.</param>
/// <param name="Reason">What kind of manipulation it indicates.</param>
/// <param name="Weight">0..1.</param>
/// <param name="Form">Which normalised form of the message the pattern runs on.</param>
/// <param name="Pattern">The expression (case-insensitive; the text is already case-folded).</param>
public sealed record InjectionRule(string Id, InjectionReason Reason, double Weight, InjectionTextForm Form, Regex Pattern)
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>A rule from a pattern string, compiled once.</summary>
    public InjectionRule(string id, InjectionReason reason, double weight, InjectionTextForm form, string pattern)
        : this(id, reason, weight, form, new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, MatchTimeout))
    {
        ArgumentOutOfRangeException.ThrowIfNegative(weight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(weight, 1);
    }
}
