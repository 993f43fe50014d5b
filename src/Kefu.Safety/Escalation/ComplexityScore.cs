namespace Kefu.Safety.Escalation;

/// <summary>How hard a turn looks, 0..1, with the reasons that add up to it.</summary>
/// <param name="Value">The score, clamped to 0..1.</param>
/// <param name="ShouldEscalate">Whether the score reached the scorer's threshold (route to the larger model).</param>
/// <param name="Reasons">The contributions, largest first.</param>
public sealed record ComplexityScore(double Value, bool ShouldEscalate, IReadOnlyList<ComplexityReason> Reasons);
