using System.CommandLine;
using System.Globalization;
using Kefu.Model.Lora;
using Kefu.Training.Benchmarking;
using Kefu.Training.Running;
using Spectre.Console;
using static TorchSharp.torch;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// <c>kefu bench train --model DIR</c>: LoRA training tokens/s on random tokens, the model FLOPs each step really
/// does (see <see cref="TrainingFlops"/>), the GEMM FLOP/s measured in the same process, the resulting MFU and peak
/// memory, with and without activation checkpointing.
/// </summary>
internal static class BenchTrainCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var sequence = new Option<int>("--seq") { Description = "Tokens per sample (random)", DefaultValueFactory = _ => 256 };
        var batch = new Option<int>("--batch-size") { Description = "Samples per step", DefaultValueFactory = _ => 1 };
        var steps = new Option<int>("--steps") { Description = "Timed steps (after one warm-up step)", DefaultValueFactory = _ => 3 };
        var checkpointing = new Option<string>("--gradient-checkpointing") { Description = "both, on or off", DefaultValueFactory = _ => "both" };
        var rank = new Option<int>("--rank") { Description = "LoRA rank r", DefaultValueFactory = _ => 16 };
        var targets = new Option<string>("--targets") { Description = "Comma-separated target modules or all-linear", DefaultValueFactory = _ => LoraConfig.AllLinear };
        var compute = new ModelComputeOptions();
        var json = BenchJsonFile.Option();
        var data = new Option<string?>("--data")
        {
            Description = "A `kefu data build` folder: instead of random tokens, compare length-bucketed batches with packing on its training samples",
        };
        var packingLength = new Option<int?>("--packing-length") { Description = "With --data: tokens per packed row (default: the dataset's cutoff, else its longest sample)" };
        var packedRows = new Option<int>("--packed-rows") { Description = "With --data: packed rows per step", DefaultValueFactory = _ => 1 };
        var command = new Command("train", "Measure LoRA training speed, FLOPs, MFU and peak memory of a model folder, or packing against bucketing on a dataset")
        {
            model, sequence, batch, steps, checkpointing, rank, targets, compute.DType, compute.Threads, compute.Device, json, data, packingLength, packedRows,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            ScalarType type;
            Device target;
            bool[] modes;
            LoraSettings lora;
            try
            {
                (type, target) = compute.Parse(parseResult);
                modes = parseResult.GetRequiredValue(checkpointing).Trim().ToLowerInvariant() switch
                {
                    "both" => [true, false], // checkpointed first: memory the allocator keeps can only inflate the run after it
                    "on" => [true],
                    "off" => [false],
                    var other => throw new ArgumentException($"--gradient-checkpointing must be both, on or off, got \"{other}\"."),
                };
                if (parseResult.GetValue(sequence) < 2 || parseResult.GetValue(batch) < 1 || parseResult.GetValue(steps) < 1)
                    throw new ArgumentException("--seq must be at least 2, --batch-size and --steps at least 1.");
                lora = new LoraSettings
                {
                    Rank = parseResult.GetValue(rank),
                    Alpha = 2.0 * parseResult.GetValue(rank),
                    TargetModules = parseResult.GetRequiredValue(targets).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                };
            }
            catch (ArgumentException e)
            {
                console.Error(e.Message);
                return 2;
            }
            compute.ApplyThreads(parseResult);

            var directory = parseResult.GetRequiredValue(model);
            if (parseResult.GetValue(data) is { } dataDirectory)
                return await PackingAsync(console, directory, dataDirectory, type, target, lora, parseResult.GetValue(batch),
                    parseResult.GetValue(packedRows), parseResult.GetValue(packingLength), parseResult.GetValue(steps), parseResult.GetValue(json), cancellationToken).ConfigureAwait(false);
            List<TrainingBenchmarkResult> results;
            try
            {
                results = await Task.Run(() =>
                {
                    using var loaded = ModelCliOptions.LoadModel(console, directory, type, target);
                    console.MarkupLine($"[grey]Timing a {type} GEMM …[/]");
                    var gemm = GemmThroughput.Measure(type, device: target);
                    var list = new List<TrainingBenchmarkResult>();
                    // One baseline for every mode: memory a run frees but the allocator keeps is reused by the next run,
                    // so measuring each from its own start would understate the later one.
                    var start = ResidentMemory.Current();
                    foreach (var mode in modes)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        ResidentMemory.TryResetPeak();
                        console.MarkupLine($"[grey]Training {parseResult.GetValue(steps)} + 1 warm-up steps, gradient checkpointing {(mode ? "on" : "off")} …[/]");
                        list.Add(TrainingBenchmark.Run(loaded, lora, parseResult.GetValue(sequence), parseResult.GetValue(batch), parseResult.GetValue(steps), mode, gemm, start));
                    }
                    // The machine may be shared: time the GEMM again afterwards and keep the faster, so MFU is not flattered.
                    var ceiling = Math.Max(gemm, GemmThroughput.Measure(type, device: target));
                    var float32 = type == ScalarType.Float32 ? ceiling : GemmThroughput.Measure(ScalarType.Float32, device: target);
                    return list.Select(r => r with { GemmFlopsPerSecond = ceiling, Float32GemmFlopsPerSecond = float32, DType = type.ToString() }).ToList();
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or Kefu.Model.Configuration.ModelConfigException)
            {
                console.Error(e.Message);
                return 2;
            }

            Print(console, results);
            if (parseResult.GetValue(json) is { } path)
                await BenchJsonFile.WriteAsync(path, results, cancellationToken).ConfigureAwait(false);
            return 0;
        });
        return command;
    }

    private static async Task<int> PackingAsync(IAnsiConsole console, string modelDirectory, string dataDirectory,
        ScalarType type, Device target, LoraSettings lora, int batchSize, int packedRows, int? packingLength, int steps, string? json, CancellationToken cancellationToken)
    {
        IReadOnlyList<PackingBenchmarkResult> results;
        try
        {
            if (packedRows < 1)
                throw new ArgumentException("--packed-rows must be at least 1.");
            results = await Task.Run(() =>
            {
                using var loaded = ModelCliOptions.LoadModel(console, modelDirectory, type, target);
                var dataset = Kefu.Training.Data.SftDataset.Open(dataDirectory, loaded.Config, modelDirectory, w => console.MarkupLine($"[yellow]{Markup.Escape(w)}[/]"));
                var length = packingLength ?? dataset.Cutoff ?? dataset.Train.Max(e => e.Length);
                console.MarkupLine($"[grey]{steps} + 1 warm-up steps each: {batchSize} bucketed samples per step, then {packedRows} packed row(s) of {length} tokens per step …[/]");
                return PackingBenchmark.Run(loaded, lora, dataset.Train, batchSize, packedRows, length, steps);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidDataException or Kefu.Training.Data.SftDatasetException
            or Kefu.Model.Configuration.ModelConfigException)
        {
            console.Error(e.Message);
            return 2;
        }

        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        var table = new Table().AddColumn("measure");
        foreach (var r in results)
            table.AddColumn(r.PackingLength is { } l ? $"packed ({r.RowsPerStep} × {l})" : $"bucketed (batch {r.RowsPerStep})");
        void Row(string name, Func<PackingBenchmarkResult, string> value) => table.AddRow([name, .. results.Select(value)]);
        Row("timed steps", r => r.TimedSteps.ToString(CultureInfo.InvariantCulture));
        Row("sample tokens trained", r => r.RealTokens.ToString("N0", CultureInfo.InvariantCulture));
        Row("padding", r => F(r.PaddingFraction * 100, "0.0") + " %");
        Row("seconds", r => F(r.Seconds, "0.00"));
        Row("sample tokens/s", r => F(r.RealTokensPerSecond, "0.0"));
        console.Write(table);
        console.MarkupLine($"Packing trains [bold]{F(results[1].RealTokensPerSecond / results[0].RealTokensPerSecond, "0.00")}×[/] the sample tokens per second of bucketing here.");
        if (json is not null)
            await BenchJsonFile.WriteAsync(json, results, cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static void Print(IAnsiConsole console, IReadOnlyList<TrainingBenchmarkResult> results)
    {
        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        static string G(double flops) => F(flops / 1e9, "0.0") + " GFLOP";
        var table = new Table().AddColumn("measure");
        foreach (var r in results)
            table.AddColumn(r.GradientCheckpointing ? "checkpointing on" : "checkpointing off");
        void Row(string name, Func<TrainingBenchmarkResult, string> value) => table.AddRow([name, .. results.Select(value)]);
        Row("batch × seq, timed steps", r => $"{r.BatchSize} × {r.SequenceLength}, {r.TimedSteps}");
        Row("trainable parameters", r => r.TrainableParameters.ToString("N0", CultureInfo.InvariantCulture));
        Row("time per step (mean, best)", r => $"{F(r.SecondsPerStep * 1000, "0")} ms, {F(r.BestSecondsPerStep * 1000, "0")} ms");
        Row("training tokens/s", r => F(r.TokensPerSecond, "0.0"));
        Row("model FLOPs per step (fwd + bwd)", r => $"{G(r.FlopsPerStep.Model)} ({G(r.FlopsPerStep.Forward)} + {G(r.FlopsPerStep.Backward)})");
        Row("recompute FLOPs per step", r => G(r.FlopsPerStep.Recompute));
        Row("model FLOP/s", r => F(r.ModelFlopsPerSecond / 1e9, "0.0") + " GFLOP/s");
        Row("GEMM FLOP/s (compute type, measured)", r => $"{F(r.GemmFlopsPerSecond / 1e9, "0.0")} GFLOP/s ({r.DType})");
        Row("GEMM FLOP/s (float32, measured)", r => F(r.Float32GemmFlopsPerSecond / 1e9, "0.0") + " GFLOP/s");
        Row("MFU vs compute-type GEMM (mean, best step)", r => $"{F(r.Mfu * 100, "0.0")} %, {F(r.BestStepMfu * 100, "0.0")} %");
        Row("peak memory (RSS)", r => ModelCliOptions.FormatBytes(r.PeakResidentBytes));
        Row("peak above RSS before training", r => ModelCliOptions.FormatBytes(r.PeakAboveStartBytes));
        Row("loss (last step)", r => F(r.FinalLoss, "0.000"));
        console.Write(table);
    }
}
