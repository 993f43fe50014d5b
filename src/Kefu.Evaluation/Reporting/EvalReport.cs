using Kefu.Evaluation.Comparing;
using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Scoring;

namespace Kefu.Evaluation.Reporting;

/// <summary>
/// The outcome of one <c>kefu eval</c> run, written as JSON (format <c>kefu-eval/1</c>, snake_case) and HTML. A
/// later run reads the JSON back for <c>--compare</c>.
/// </summary>
public sealed record EvalReport
{
    public const string FormatName = "kefu-eval/1";

    public string Format { get; init; } = FormatName;
    public required string Target { get; init; }
    public required string ScenarioFile { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public double Seconds { get; init; }

    /// <summary>Every metric that applied, by name (see <see cref="Metrics.EvalMetrics"/>).</summary>
    public required IReadOnlyDictionary<string, double> Metrics { get; init; }

    /// <summary>The metrics per scenario category (first tag).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Categories { get; init; }

    /// <summary>Scenario count per category.</summary>
    public required IReadOnlyDictionary<string, int> CategorySizes { get; init; }

    public IReadOnlyList<GateOutcome> Gates { get; init; } = [];

    public RunComparison? Comparison { get; init; }

    public required IReadOnlyList<ScenarioResult> Results { get; init; }

    public bool GatesPassed => Gates.All(g => g.Passed);
}
