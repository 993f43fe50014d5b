using System.CommandLine;
using System.Globalization;
using Kefu.Model.Runtime;
using Spectre.Console;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// <c>kefu bench generate --model DIR</c>: prefill and decode tokens per second, time to first token and peak
/// memory, beside the decode rate the measured memory bandwidth allows.
/// </summary>
internal static class BenchGenerateCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length (random tokens)", DefaultValueFactory = _ => 128 };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens to decode", DefaultValueFactory = _ => 64 };
        var compute = new ModelComputeOptions();
        var json = BenchJsonFile.Option();
        var command = new Command("generate", "Measure prefill and decode speed of a model folder")
        {
            model, promptTokens, newTokens, compute.DType, compute.Threads, compute.Device, json,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            var lengthError = parseResult.GetValue(promptTokens) < 1 || parseResult.GetValue(newTokens) < 2
                ? "--prompt-tokens must be at least 1 and --new-tokens at least 2."
                : null;
            if (!compute.TryParse(parseResult, console, out var type, out var target, lengthError))
                return 2;

            var directory = parseResult.GetRequiredValue(model);
            var result = await Task.Run(() =>
            {
                using var loaded = ModelCliOptions.LoadModel(console, directory, type, target);
                return GenerationBenchmark.Run(loaded, parseResult.GetValue(promptTokens), parseResult.GetValue(newTokens),
                    progress: step => console.MarkupLine($"[grey]{Markup.Escape(step)}[/]"));
            }, cancellationToken).ConfigureAwait(false);

            Print(console, result);
            if (parseResult.GetValue(json) is { } path)
                await BenchJsonFile.WriteAsync(path, result, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, GenerationBenchmarkResult r)
    {
        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().AddColumns("measure", "value");
        table.AddRow("dtype, threads", $"{r.DType}, {r.Threads}");
        table.AddRow("prefill", $"{r.PromptTokens} tokens in {F(r.Prefill.TotalMilliseconds, "0")} ms = {F(r.PrefillTokensPerSecond, "0.0")} tokens/s");
        table.AddRow("time to first token", $"{F(r.TimeToFirstToken.TotalMilliseconds, "0")} ms");
        table.AddRow("decode", $"{r.NewTokens - 1} tokens in {F(r.Decode.TotalMilliseconds, "0")} ms = {F(r.DecodeTokensPerSecond, "0.00")} tokens/s");
        table.AddRow("peak memory (RSS)", ModelCliOptions.FormatBytes(r.PeakResidentBytes));
        table.AddRow("weights read per token", ModelCliOptions.FormatBytes(r.WeightBytesPerToken));
        table.AddRow("measured read bandwidth", ModelCliOptions.FormatBytes(r.ReadBytesPerSecond) + "/s");
        table.AddRow("bandwidth bound on decode", $"{F(r.BoundTokensPerSecond, "0.00")} tokens/s");
        table.AddRow("decode / bound", $"{F(r.ShareOfBound * 100, "0")} %");
        console.Write(table);
    }
}
