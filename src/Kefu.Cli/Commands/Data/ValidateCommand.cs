using System.CommandLine;
using Kefu.Data.Validation;
using Kefu.Text;
using Spectre.Console;

namespace Kefu.Cli.Commands.Data;

/// <summary><c>kefu data validate PATH... [--tokenizer DIR] [--cutoff N]</c>: every problem, compiler style; exit 1 on errors.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = DataOptions.Paths();
        var tokenizer = new Option<string?>("--tokenizer") { HelpName = "MODEL_DIR", Description = "Model folder with the tokenizer files: enables the token-length check" };
        var cutoff = DataOptions.Cutoff();
        var threshold = DataOptions.NearDuplicateThreshold();
        var command = new Command("validate", "Check dataset files: every problem with file:line and field; non-zero exit on errors")
        {
            paths, tokenizer, cutoff, threshold,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            Qwen2Tokenizer? loaded = null;
            var tokenizerDirectory = parseResult.GetValue(tokenizer);
            if (tokenizerDirectory is not null)
            {
                try
                {
                    loaded = Qwen2Tokenizer.FromDirectory(tokenizerDirectory);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    console.WriteRawLine($"kefu: error: cannot load the tokenizer from '{tokenizerDirectory}': {e.Message}");
                    return 2;
                }
            }
            var options = new ValidationOptions { Tokenizer = loaded, Cutoff = parseResult.GetValue(cutoff), NearDuplicateThreshold = parseResult.GetValue(threshold) };
            var report = await SpectreProgress.RunAsync(console,
                progress => new DatasetValidator().Validate(parseResult.GetRequiredValue(paths), options, progress), cancellationToken).ConfigureAwait(false);
            DiagnosticPrinter.Print(console, report.Diagnostics);
            DataTables.WriteFiles(console, report.Dataset);
            DataTables.WriteCategorySources(console, report.Dataset.Records);
            var tally = $"{report.Dataset.Records.Count} valid records in {report.Dataset.Sources.Count} files: {DiagnosticPrinter.Tally(report.Diagnostics)}";
            console.MarkupLine(report.ErrorCount > 0 ? $"[red]{Markup.Escape(tally)}[/]" : $"[green]{Markup.Escape(tally)}[/]");
            return report.ErrorCount > 0 ? 1 : 0;
        });
        return command;
    }
}
