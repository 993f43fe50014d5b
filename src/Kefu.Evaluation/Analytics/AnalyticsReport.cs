namespace Kefu.Evaluation.Analytics;

/// <summary>The conversation log summarised: totals, days, hand-off reasons, intents, tools, unanswered clusters.</summary>
public sealed record AnalyticsReport
{
    public required DateTimeOffset? From { get; init; }
    public required DateTimeOffset? To { get; init; }
    public required string TimeZone { get; init; }
    public int Sessions { get; init; }
    public int Turns { get; init; }
    public int ResolvedTurns { get; init; }
    public int HandoffSessions { get; init; }
    public double LatencyP50Ms { get; init; }
    public double LatencyP95Ms { get; init; }
    public required IReadOnlyList<DailyStats> Days { get; init; }
    public required IReadOnlyList<CountRow> HandoffReasons { get; init; }
    public required IReadOnlyList<CountRow> Intents { get; init; }
    public required IReadOnlyList<ToolStats> Tools { get; init; }
    public required IReadOnlyList<QuestionCluster> UnansweredClusters { get; init; }

    public double ResolutionRate => Turns == 0 ? 0 : (double)ResolvedTurns / Turns;

    public double HandoffRate => Sessions == 0 ? 0 : (double)HandoffSessions / Sessions;
}
