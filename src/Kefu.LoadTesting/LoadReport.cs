namespace Kefu.LoadTesting;

/// <summary>The outcome of a load run: every turn's timing, the throughput, and the conversation-log check.</summary>
public sealed record LoadReport(LoadOptions Options, TimeSpan Elapsed, IReadOnlyList<TurnSample> Turns, ConversationLogCheck Log)
{
    public int Served => Turns.Count(t => t.Served);

    public int Failed => Turns.Count(t => !t.Served);

    /// <summary>Turns the deadline stopped from being sent.</summary>
    public int NotSent => Options.Sessions * Options.TurnsPerSession - Turns.Count;

    /// <summary>Served turns per second of wall time.</summary>
    public double TurnsPerSecond => Elapsed.TotalSeconds > 0 ? Served / Elapsed.TotalSeconds : 0;

    public IReadOnlyList<double> Latencies => [.. Turns.Where(t => t.Served).Select(t => t.LatencyMilliseconds)];

    public IReadOnlyList<double> FirstTokenLatencies => [.. Turns.Where(t => t.Served && t.FirstTokenMilliseconds is not null).Select(t => t.FirstTokenMilliseconds!.Value)];

    /// <summary>The nearest-rank percentile of served turns' latency in milliseconds (NaN when none was served).</summary>
    public double LatencyPercentile(double percentile) => Percentiles.NearestRank(Latencies, percentile);

    /// <summary>As <see cref="LatencyPercentile"/>, for the time to the first streamed text.</summary>
    public double FirstTokenPercentile(double percentile) => Percentiles.NearestRank(FirstTokenLatencies, percentile);
}
