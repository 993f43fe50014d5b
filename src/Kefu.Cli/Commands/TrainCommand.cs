using System.CommandLine;
using System.Globalization;
using Kefu.Cli.Commands.Model;
using Kefu.Cli.Commands.Training;
using Kefu.Model.Configuration;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using Kefu.Training.Data;
using Kefu.Training.Running;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu train --model DIR --data DIR --out DIR [--recipe NAME|FILE] [--max-steps N] [--resume] …</c>: LoRA
/// fine-tuning with a progress bar, train_log.jsonl, loss.png and checkpoints; Ctrl+C saves a checkpoint.
/// </summary>
internal static class TrainCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var data = new Option<string>("--data") { Description = "Training folder made by `kefu data build` (dataset.json, train.jsonl, eval.jsonl)", Required = true };
        var output = new Option<string>("--out") { Description = "Output folder: adapter (PEFT format), checkpoints/, train_log.jsonl, loss.png", Required = true };
        var recipe = new Option<string?>("--recipe") { Description = $"Recipe name ({string.Join(", ", TrainingRecipes.Names)}) or JSON file; default: default" };
        var maxSteps = new Option<int?>("--max-steps") { Description = "Stop after N optimizer steps" };
        var resume = new Option<bool>("--resume") { Description = "Continue from the newest checkpoint in --out" };
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (overrides the recipe and its stages)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs (single-stage recipes)" };
        var batch = new Option<int?>("--batch-size") { Description = "Samples per micro-batch" };
        var accumulation = new Option<int?>("--accumulation") { Description = "Micro-batches per optimizer step" };
        var rank = new Option<int?>("--rank") { Description = "LoRA rank r" };
        var alpha = new Option<double?>("--alpha") { Description = "LoRA alpha" };
        var dropout = new Option<double?>("--dropout") { Description = "LoRA dropout" };
        var targets = new Option<string?>("--targets") { Description = "Comma-separated target modules (q_proj,k_proj,v_proj …) or all-linear" };
        var rslora = new Option<bool>("--rslora") { Description = "Scale by alpha/√r (rsLoRA)" };
        var seed = new Option<long?>("--seed") { Description = "Seed for adapter init, data order and dropout" };
        var evalEvery = new Option<int?>("--eval-every") { Description = "Evaluate every N steps" };
        var saveEvery = new Option<int?>("--save-every") { Description = "Checkpoint every N steps" };
        var checkpointing = new Option<bool>("--gradient-checkpointing") { Description = "Recompute decoder layers in the backward pass: less memory, about a third more compute" };
        var packing = new Option<bool>("--packing") { Description = "Pack several samples per row (block-diagonal attention, no padding between them); --batch-size then counts packed rows" };
        var packingLength = new Option<int?>("--packing-length") { Description = "Tokens per packed row (default: the dataset's cutoff)" };
        var compute = new ModelComputeOptions();
        var command = new Command("train", "Fine-tune a LoRA adapter on a `kefu data build` folder")
        {
            model, data, output, recipe, maxSteps, resume, lr, epochs, batch, accumulation, rank, alpha, dropout, targets, rslora, seed,
            evalEvery, saveEvery, checkpointing, packing, packingLength, compute.DType, compute.Device, compute.Threads,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            try
            {
                var chosen = TrainingRecipes.Resolve(parseResult.GetValue(recipe));
                var lora = chosen.Lora with
                {
                    Rank = parseResult.GetValue(rank) ?? chosen.Lora.Rank,
                    Alpha = parseResult.GetValue(alpha) ?? chosen.Lora.Alpha,
                    Dropout = parseResult.GetValue(dropout) ?? chosen.Lora.Dropout,
                    TargetModules = parseResult.GetValue(targets)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? chosen.Lora.TargetModules,
                    UseRsLora = parseResult.GetValue(rslora) || chosen.Lora.UseRsLora,
                };
                var rate = parseResult.GetValue(lr);
                chosen = chosen with
                {
                    LearningRate = rate ?? chosen.LearningRate,
                    Epochs = parseResult.GetValue(epochs) ?? chosen.Epochs,
                    BatchSize = parseResult.GetValue(batch) ?? chosen.BatchSize,
                    GradientAccumulation = parseResult.GetValue(accumulation) ?? chosen.GradientAccumulation,
                    Seed = parseResult.GetValue(seed) ?? chosen.Seed,
                    EvalEvery = parseResult.GetValue(evalEvery) ?? chosen.EvalEvery,
                    SaveEvery = parseResult.GetValue(saveEvery) ?? chosen.SaveEvery,
                    GradientCheckpointing = parseResult.GetValue(checkpointing) || chosen.GradientCheckpointing,
                    Packing = parseResult.GetValue(packing) || parseResult.GetValue(packingLength) is not null || chosen.Packing,
                    PackingLength = parseResult.GetValue(packingLength) ?? chosen.PackingLength,
                    Stages = rate is null ? chosen.Stages : chosen.Stages.Select(s => s with { LearningRate = rate.Value }).ToList(),
                    Lora = lora,
                };
                chosen.Validate("command line");
                var (type, target) = compute.Parse(parseResult);
                compute.ApplyThreads(parseResult);
                var outDirectory = parseResult.GetRequiredValue(output);
                Directory.CreateDirectory(outDirectory);
                File.WriteAllText(Path.Combine(outDirectory, "recipe.json"), chosen.ToJson() + "\n");

                console.MarkupLine($"Loading [bold]{Markup.Escape(parseResult.GetRequiredValue(model))}[/] and [bold]{Markup.Escape(parseResult.GetRequiredValue(data))}[/] …");
                var view = new TrainingProgressView(console);
                using var run = TrainingRun.Open(parseResult.GetRequiredValue(model), parseResult.GetRequiredValue(data), outDirectory, chosen,
                    new TrainerOptions { MaxSteps = parseResult.GetValue(maxSteps), Resume = parseResult.GetValue(resume), OnProgress = view.Report },
                    type, target, warn: w => console.MarkupLine($"[yellow]{Markup.Escape(w)}[/]"));
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"Recipe [bold]{Markup.Escape(chosen.Name)}[/]: {run.Data.Train.Count} train / {run.Data.Eval.Count} eval samples, {run.Adapter.Layers.Count} LoRA layers, {run.Adapter.ParameterCount:N0} trainable parameters, {run.Trainer.StageSteps().Sum()} steps."));
                console.MarkupLine(Markup.Escape(TrainingBatchingText.Describe(run.Trainer)));
                var summary = await view.RunAsync(run, cancellationToken).ConfigureAwait(false);
                if (summary.Interrupted)
                {
                    console.MarkupLine($"[yellow]Interrupted at step {summary.Steps}; checkpoint saved in {Markup.Escape(summary.LastCheckpoint ?? "")}. Continue with --resume.[/]");
                    return 130;
                }
                console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                    $"[green]Done[/]: {summary.Steps} steps, loss {summary.FinalLoss:F4}, eval loss {(summary.FinalEvalLoss is { } e ? e.ToString("F4", CultureInfo.InvariantCulture) : "-")}, {summary.TokensPerSecond:F0} tokens/s. Adapter in {Markup.Escape(Path.GetFullPath(outDirectory))}."));
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or SftDatasetException or LoraFormatException or ModelConfigException
                or SafetensorsFormatException or TrainingOutOfMemoryException or IOException or InvalidDataException)
            {
                console.Error(e.Message);
                return e is TrainingOutOfMemoryException ? 3 : 2;
            }
        });
        return command;
    }
}
