using System.CommandLine;
using Kefu.Evaluation.Gating;
using Kefu.Learning;
using Kefu.Learning.Evaluating;
using Kefu.Learning.Promotion;
using Kefu.Learning.Review;
using Kefu.Learning.Training;
using Kefu.Model.Lora;
using Kefu.Service.Dialogue;
using Kefu.Training.Data;
using Kefu.Training.Running;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu learn run|harvest|approve|rollback|status</c>: the daily incremental loop (see
/// <see cref="LearningPipeline"/>). Exit codes for cron: 0 promoted (or done), 1 error, 2 candidate refused by the
/// gate, 3 nothing to train (no newly approved records).
/// </summary>
internal static class LearnCommands
{
    public static Command Create()
    {
        var command = new Command("learn", "Daily learning loop: harvest agents' answers, review, continue the adapter, gate, promote, roll back");
        command.Subcommands.Add(Run());
        command.Subcommands.Add(Harvest());
        command.Subcommands.Add(Approve());
        command.Subcommands.Add(Rollback());
        command.Subcommands.Add(Status());
        return command;
    }

    private static Option<string> ConfigOption() => new("--config") { Description = "The loop's settings (learn.json)", Required = true };

    private static Command Run()
    {
        var config = ConfigOption();
        var command = new Command("run", "One full run (cron: `kefu learn run --config learn.json`); leaves runs/<id>/learn.json + learn.md") { config };
        command.SetAction((parseResult, cancellationToken) => Guarded(parseResult, async console =>
        {
            var settings = LearningConfig.Load(parseResult.GetRequiredValue(config));
            var model = settings.ResolveOptional(settings.Model) ?? throw new ArgumentException("learn.json: field model: needed to train and evaluate.");
            var regression = settings.ResolveOptional(settings.Regression) ?? throw new ArgumentException("learn.json: field regression: needed for the gate.");
            var recipe = settings.ResolveOptional(settings.Recipe) is { } recipePath ? TrainingRecipe.Load(recipePath) : null;
            var logPath = settings.Resolve(settings.ConversationLog);
            var log = SqliteConversationLogReader.Open(logPath);   // first: it fails on a missing file, the store would create one
            using var transcripts = SqliteSessionStore.Open(logPath, TimeProvider.System);
            var pipeline = new LearningPipeline(settings, log,
                new AdapterContinuation(model, recipe), new RegressionAdapterEvaluator(model, regression, settings.ResolveOptional(settings.Samples), settings.MaxNewTokens),
                transcripts: transcripts);
            var report = await pipeline.RunAsync(cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"Run {report.RunId}: [bold]{report.Outcome}[/]. {Markup.Escape(report.Message ?? "")}");
            console.WriteRawLine($"  read {report.CorrectionsRead} corrected answers, harvested {report.Harvested}, merged {report.ApprovedMerged} approved");
            foreach (var line in report.Gate)
                console.WriteRawLine("  " + line);
            console.WriteRawLine($"  report: {Path.Combine(pipeline.Layout.RunDirectory(report.RunId), "learn.md")}");
            return report.ExitCode;
        }));
        return command;
    }

    private static Command Harvest()
    {
        var config = ConfigOption();
        var command = new Command("harvest", "Only harvest new corrected answers into a review file") { config };
        command.SetAction((parseResult, cancellationToken) => Guarded(parseResult, async console =>
        {
            var settings = LearningConfig.Load(parseResult.GetRequiredValue(config));
            var logPath = settings.Resolve(settings.ConversationLog);
            var log = SqliteConversationLogReader.Open(logPath);
            using var transcripts = SqliteSessionStore.Open(logPath, TimeProvider.System);
            var pipeline = new LearningPipeline(settings, log, null, null, transcripts: transcripts);
            var (result, file) = await pipeline.HarvestAsync(pipeline.NewRunId(), cancellationToken).ConfigureAwait(false);
            console.WriteRawLine($"read {result.Seen}, kept {result.Records.Count} (dropped {result.DuplicatesOfExisting} duplicates of existing data, {result.DuplicatesInBatch} within the batch, {result.Unusable} unusable)");
            console.WriteRawLine(file is null ? "nothing new to review" : $"review: {file}  (approve with: kefu learn approve {file})");
            return file is null ? ExitCodes.NothingToDo : ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Approve()
    {
        var file = new Argument<string>("review-file") { Description = "A review file (review/<run>.jsonl) whose every line is approved" };
        var command = new Command("approve", "Approve every record of a review file (or set \"approved\": true per line by hand)") { file };
        command.SetAction((parseResult, _) => Guarded(parseResult, console =>
        {
            var count = ReviewFile.ApproveAll(parseResult.GetRequiredValue(file));
            console.WriteRawLine($"approved {count} records; the next `kefu learn run` trains on them");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command Rollback()
    {
        var config = ConfigOption();
        var command = new Command("rollback", "Serve the previous adapter again") { config };
        command.SetAction((parseResult, _) => Guarded(parseResult, console =>
        {
            var settings = LearningConfig.Load(parseResult.GetRequiredValue(config));
            var layout = new LearningLayout(settings.Resolve(settings.LearnDirectory));
            var path = new AdapterRegistry(layout.AdaptersDirectory).Rollback();
            console.WriteRawLine($"current adapter: {path}");
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static Command Status()
    {
        var config = ConfigOption();
        var command = new Command("status", "The adapter in service, pending reviews, last harvest") { config };
        command.SetAction((parseResult, _) => Guarded(parseResult, console =>
        {
            var settings = LearningConfig.Load(parseResult.GetRequiredValue(config));
            var layout = new LearningLayout(settings.Resolve(settings.LearnDirectory));
            var registry = new AdapterRegistry(layout.AdaptersDirectory).Read();
            console.WriteRawLine($"current adapter: {registry.Current ?? "(none: " + (settings.BaseAdapter ?? "base model") + ")"}; previous: {registry.Previous ?? "none"}; versions: {registry.Versions.Count}");
            console.WriteRawLine($"harvested through: {LearningState.Load(layout).HarvestedThrough?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"}");
            if (Directory.Exists(layout.ReviewDirectory))
            {
                foreach (var file in Directory.GetFiles(layout.ReviewDirectory, "*.jsonl").Order(StringComparer.Ordinal))
                {
                    var (lines, approved) = ReviewFile.Count(file);
                    console.WriteRawLine($"review {file}: {approved}/{lines} approved");
                }
            }
            return Task.FromResult(ExitCodes.Ok);
        }));
        return command;
    }

    private static async Task<int> Guarded(ParseResult parseResult, Func<IAnsiConsole, Task<int>> action)
    {
        var console = CliConsole.For(parseResult);
        try
        {
            return await action(console).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidDataException or InvalidOperationException or IOException
            or LoraFormatException or SftDatasetException or Microsoft.Data.Sqlite.SqliteException or HttpRequestException)
        {
            console.Error(e.Message);
            return ExitCodes.Error;
        }
    }
}
