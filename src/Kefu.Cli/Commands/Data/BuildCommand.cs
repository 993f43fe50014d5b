using System.CommandLine;
using Kefu.Data.Building;
using Spectre.Console;

namespace Kefu.Cli.Commands.Data;

/// <summary>
/// <c>kefu data build PATH... --tokenizer DIR --out DIR [--mix 60:30:10] [--size 200-500] [--seed N]
/// [--eval-fraction 0.1] [--cutoff 2048] [--mask-pii]</c>: validate, mix, split, render and write a training-ready set.
/// </summary>
internal static class BuildCommand
{
    public static Command Create(TimeProvider? time = null)
    {
        var paths = DataOptions.Paths();
        var tokenizer = new Option<string>("--tokenizer") { HelpName = "MODEL_DIR", Description = "Model folder with the tokenizer files (vocab.json, merges.txt)", Required = true };
        var output = new Option<string>("--out") { HelpName = "DIR", Description = "Output folder: train.jsonl, eval.jsonl, dataset.json, report.md/json, token-lengths.png, build.log.jsonl", Required = true };
        var mix = DataOptions.Mix();
        var size = DataOptions.Size();
        var seed = new Option<int>("--seed") { HelpName = "N", Description = "Seed of down-sampling, split and order (same seed, same files)", DefaultValueFactory = _ => 42 };
        var evalFraction = DataOptions.EvalFraction();
        var cutoff = DataOptions.Cutoff();
        var maskPii = new Option<bool>("--mask-pii") { Description = "Mask phone, ID card, bank card numbers and e-mails (138****5678) before rendering" };
        var threshold = DataOptions.NearDuplicateThreshold();
        var command = new Command("build", "Validate, mix, split and render dataset files into a training-ready set")
        {
            paths, tokenizer, output, mix, size, seed, evalFraction, cutoff, maskPii, threshold,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            var options = new DatasetBuildOptions
            {
                Paths = parseResult.GetRequiredValue(paths),
                TokenizerDirectory = parseResult.GetRequiredValue(tokenizer),
                OutputDirectory = parseResult.GetRequiredValue(output),
                Mix = parseResult.GetRequiredValue(mix),
                Size = parseResult.GetRequiredValue(size),
                Seed = parseResult.GetValue(seed),
                EvalFraction = parseResult.GetValue(evalFraction),
                Cutoff = parseResult.GetValue(cutoff),
                MaskPii = parseResult.GetValue(maskPii),
                NearDuplicateThreshold = parseResult.GetValue(threshold),
            };
            var result = await SpectreProgress.RunAsync(console,
                progress => new DatasetBuilder(time).Build(options, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
            DiagnosticPrinter.Print(console, result.Diagnostics);
            if (!result.Succeeded)
            {
                console.MarkupLine($"[red]build failed: {Markup.Escape(result.FailureMessage ?? "")}[/] ({DiagnosticPrinter.Tally(result.Diagnostics)}); log: {Markup.Escape(Path.Combine(options.OutputDirectory, BuildArtifacts.Log))}");
                return 1;
            }
            DataTables.WriteBuildSummary(console, result.Report!);
            console.MarkupLine($"[green]wrote {result.OutputFiles.Count} files to {Markup.Escape(options.OutputDirectory)}[/] ({DiagnosticPrinter.Tally(result.Diagnostics)})");
            foreach (var file in result.OutputFiles)
                console.WriteRawLine("  " + Path.GetFileName(file));
            return 0;
        });
        return command;
    }
}
