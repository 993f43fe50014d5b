namespace Kefu.Evaluation.Analytics;

/// <summary>One day of traffic (in the report's time zone).</summary>
/// <param name="Day">The calendar day.</param>
/// <param name="Sessions">Conversations with at least one turn that day.</param>
/// <param name="Turns">Customer turns the bot handled.</param>
/// <param name="ResolvedTurns">Turns answered (not "don't know", not a failed tool, not a hand-off).</param>
/// <param name="HandoffSessions">Conversations handed to a human that day.</param>
/// <param name="LatencyP50Ms">Median turn latency.</param>
/// <param name="LatencyP95Ms">95th percentile turn latency.</param>
public sealed record DailyStats(DateOnly Day, int Sessions, int Turns, int ResolvedTurns, int HandoffSessions, double LatencyP50Ms, double LatencyP95Ms)
{
    public double ResolutionRate => Turns == 0 ? 0 : (double)ResolvedTurns / Turns;

    public double HandoffRate => Sessions == 0 ? 0 : (double)HandoffSessions / Sessions;
}
