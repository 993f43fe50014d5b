namespace Kefu.Evaluation.Analytics;

/// <summary>A tool's calls by outcome. Failures are the calls the system could not serve (unavailable, invalid arguments).</summary>
public sealed record ToolStats(string Tool, int Calls, int Failures, IReadOnlyDictionary<string, int> Outcomes, double LatencyP95Ms)
{
    public double FailureRate => Calls == 0 ? 0 : (double)Failures / Calls;
}
