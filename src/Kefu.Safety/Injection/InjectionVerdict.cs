namespace Kefu.Safety.Injection;

/// <summary>The prompt-injection assessment of one message.</summary>
/// <param name="Score">1 − Π(1 − weight) over the rules that fired: 0 for none, near 1 for several strong ones.</param>
/// <param name="IsSuspected">Whether the score reached the detector's threshold.</param>
/// <param name="Findings">The rules that fired.</param>
public sealed record InjectionVerdict(double Score, bool IsSuspected, IReadOnlyList<InjectionFinding> Findings)
{
    /// <summary>A message no rule fired on.</summary>
    public static InjectionVerdict Clean { get; } = new(0, false, []);

    /// <summary>The distinct reasons, strongest finding first.</summary>
    public IReadOnlyList<InjectionReason> Reasons => [.. Findings.OrderByDescending(f => f.Weight).Select(f => f.Reason).Distinct()];
}
