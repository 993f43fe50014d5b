using System.CommandLine;
using Kefu.Evaluation;
using Kefu.Evaluation.Gating;
using Kefu.Evaluation.Judging;
using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Scenarios;
using Kefu.Model.Lora;
using Kefu.Server.Hosting;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu eval</c>: runs a regression set against a running server (<c>--server URL --api-key K</c>), or against the
/// demo server built in-process (retrieval-only, or <c>--model DIR [--adapter DIR]</c>), or against the bare model
/// (<c>--bare</c>). Writes eval.json + eval.html; <c>--compare</c> adds bootstrap CIs; <c>--gate</c> sets the exit code
/// (see <see cref="ExitCodes"/>).
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var scenarios = new Option<string?>("--scenarios") { Description = "Regression set (JSONL; default: samples/ecommerce/regression.jsonl)" };
        var server = KbCommands.UrlOption("--server", "A running Kefu server to evaluate, e.g. http://127.0.0.1:5180");
        var apiKey = new Option<string?>("--api-key") { Description = "API key for --server (default: $KEFU_API_KEY)" };
        var model = new Option<string?>("--model") { Description = "Qwen2 model folder to answer with, in-process (default: retrieval-only)" };
        var adapter = new Option<string?>("--adapter") { Description = "LoRA adapter folder merged into --model" };
        var bare = new Option<bool>("--bare") { Description = "Evaluate --model alone (no knowledge base, tools or hand-off): what the weights know" };
        var samples = new Option<string?>("--samples") { Description = "Demo data folder for the in-process server (default: samples/ecommerce)" };
        var output = new Option<string>("--out") { Description = "Folder for eval.json and eval.html", DefaultValueFactory = _ => "eval-out" };
        var compare = new Option<string?>("--compare") { Description = "An earlier eval.json: differences with paired-bootstrap 95 % CIs" };
        var gate = new Option<string?>("--gate") { Description = "Release gates, e.g. resolution>=0.8,safety>=1.0,latency_p95_ms<=3000 (exit code 2 when one fails)" };
        var judge = KbCommands.UrlOption("--judge", "OpenAI-compatible endpoint of an LLM judge (scores replies 1–5)");
        var judgeModel = new Option<string?>("--judge-model") { Description = "Model name at --judge (default: its first)" };
        var judgeKey = new Option<string?>("--judge-key") { Description = "API key of --judge" };
        var parallel = new Option<int>("--parallel") { Description = "Conversations in flight at once", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Bootstrap seed", DefaultValueFactory = _ => 12345 };
        var command = new Command("eval", "Run the regression set: resolution, hand-off precision/recall, tool accuracy, safety, latency; HTML + JSON; gates")
        {
            scenarios, server, apiKey, model, adapter, bare, samples, output, compare, gate, judge, judgeModel, judgeKey, parallel, seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            try
            {
                var samplesDirectory = DemoSetup.FindSamples(parseResult.GetValue(samples));
                var scenarioFile = parseResult.GetValue(scenarios)
                    ?? (samplesDirectory is null ? null : Path.Combine(samplesDirectory, "regression.jsonl"))
                    ?? throw new ArgumentException("No --scenarios given and no samples/ecommerce/regression.jsonl found.");
                RegressionSetReader.Read(scenarioFile);
                var gates = parseResult.GetValue(gate) is { } g ? GateParser.Parse(g) : [];
                var before = parseResult.GetValue(compare) is { } c ? EvalReportJson.Read(c) : null;
                var judgeClient = parseResult.GetValue(judge) is { } judgeUrl
                    ? await OpenAiJudgeClient.CreateAsync(judgeUrl, parseResult.GetValue(judgeModel), parseResult.GetValue(judgeKey), cancellationToken).ConfigureAwait(false)
                    : null;
                var options = new EvaluationOptions
                {
                    Gates = gates,
                    Before = before,
                    BeforeLabel = parseResult.GetValue(compare),
                    Judge = judgeClient is null ? null : new LlmJudge(judgeClient),
                    Parallelism = Math.Max(1, parseResult.GetValue(parallel)),
                    Seed = parseResult.GetValue(seed),
                };
                var report = await EvaluationTargets.RunAsync(new TargetChoice(
                    parseResult.GetValue(server), parseResult.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("KEFU_API_KEY"),
                    parseResult.GetValue(model), parseResult.GetValue(adapter), parseResult.GetValue(bare), samplesDirectory),
                    scenarioFile, options, console, cancellationToken).ConfigureAwait(false);
                var (json, html) = Evaluator.Write(report, parseResult.GetRequiredValue(output));
                EvalSummary.Print(console, report);
                console.MarkupLine($"Report: [bold]{Markup.Escape(html)}[/] and {Markup.Escape(json)}");
                return report.GatesPassed ? ExitCodes.Ok : ExitCodes.GateFailed;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or RegressionFormatException or InvalidDataException or InvalidOperationException
                or IOException or HttpRequestException or LoraFormatException)
            {
                console.Error(e.Message);
                return ExitCodes.Error;
            }
        });
        return command;
    }
}
