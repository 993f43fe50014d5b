using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Running;
using Kefu.Evaluation.Scenarios;

namespace Kefu.Evaluation;

/// <summary>One evaluation: read the scenarios, run them against the target, score, gate, compare; write JSON + HTML.</summary>
public static class Evaluator
{
    public const string JsonFileName = "eval.json";
    public const string HtmlFileName = "eval.html";

    public static async Task<EvalReport> RunAsync(IConversationTarget target, string scenarioFile, EvaluationOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        var scenarios = RegressionSetReader.Read(scenarioFile);
        var started = options.Time.GetUtcNow();
        var timer = options.Time.GetTimestamp();
        var runner = new RegressionRunner(target, options.Judge, options.Parallelism) { OnProgress = options.OnProgress };
        var results = await runner.RunAsync(scenarios, cancellationToken).ConfigureAwait(false);
        return EvalReportBuilder.Build(target.Description, Path.GetFileName(scenarioFile), started, options.Time.GetElapsedTime(timer).TotalSeconds,
            results, options.Gates, options.Before, options.BeforeLabel, options.Seed);
    }

    /// <summary>Writes eval.json and eval.html into <paramref name="directory"/>; returns their paths.</summary>
    public static (string Json, string Html) Write(EvalReport report, string directory)
    {
        var json = Path.Combine(directory, JsonFileName);
        var html = Path.Combine(directory, HtmlFileName);
        EvalReportJson.Write(report, json);
        EvalHtmlWriter.Write(report, html);
        return (json, html);
    }
}
