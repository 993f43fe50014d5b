using Kefu.Evaluation;
using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Running;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>Which system <c>kefu eval</c> (and <c>kefu learn</c>) talks to, from the options given.</summary>
internal sealed record TargetChoice(Uri? Server, string? ApiKey, string? Model, string? Adapter, bool Bare, string? Samples);

/// <summary>Builds the chosen target, runs the evaluation with a progress line, and tears the target down.</summary>
internal static class EvaluationTargets
{
    public static async Task<EvalReport> RunAsync(TargetChoice choice, string scenarioFile, EvaluationOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        options = options with { OnProgress = (done, total) => { if (done == total || done % 10 == 0) console.WriteRawLine($"  {done}/{total} scenarios"); } };
        if (choice.Server is { } server)
        {
            if (choice.Model is not null)
                throw new ArgumentException("--server and --model exclude each other: the server answers with its own model.");
            if (string.IsNullOrEmpty(choice.ApiKey))
                throw new ArgumentException("--server needs --api-key (or KEFU_API_KEY).");
            using var http = new HttpChatTarget(server, choice.ApiKey);
            return await Evaluator.RunAsync(http, scenarioFile, options, cancellationToken).ConfigureAwait(false);
        }
        if (choice.Adapter is not null && choice.Model is null)
            throw new ArgumentException("--adapter needs --model.");
        using var loaded = choice.Model is null ? null : await Task.Run(() => LoadedModel.Load(choice.Model, choice.Adapter), cancellationToken).ConfigureAwait(false);
        if (choice.Bare)
        {
            if (loaded is null)
                throw new ArgumentException("--bare needs --model.");
            var target = new ChatClientTarget(loaded.Client, "model " + loaded.Name);
            return await Evaluator.RunAsync(target, scenarioFile, options with { Parallelism = 1 }, cancellationToken).ConfigureAwait(false);
        }
        if (choice.Samples is null)
            throw new ArgumentException("The in-process server runs the demo shop, and no samples/ecommerce folder was found (give --samples DIR), or evaluate a running server with --server.");
        console.WriteRawLine(loaded is null ? "Starting the demo server in-process (retrieval-only) …" : $"Starting the demo server in-process with {loaded.Name} …");
        await using var running = await InProcessServer.StartDemoAsync(choice.Samples, loaded?.Client, loaded?.Name, null, cancellationToken).ConfigureAwait(false);
        using var client = new HttpChatTarget(running.Address, running.ApiKey);
        // One model in this process answers one request at a time; more in flight only queue and inflate latency.
        var report = await Evaluator.RunAsync(client, scenarioFile, loaded is null ? options : options with { Parallelism = 1 }, cancellationToken).ConfigureAwait(false);
        return report with { Target = (loaded is null ? "in-process demo server, retrieval-only" : "in-process demo server, model " + loaded.Name) };
    }
}
