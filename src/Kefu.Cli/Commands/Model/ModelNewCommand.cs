using System.CommandLine;
using System.Globalization;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Text;
using Spectre.Console;
using static TorchSharp.torch;

namespace Kefu.Cli.Commands.Model;

/// <summary>
/// <c>kefu model new --shape tiny|0.5b|1.5b|7b --out DIR</c>: a model folder of a real Qwen2 shape with random
/// weights (config.json, generation_config.json, safetensors sharded above --shard-size, tokenizer files when given),
/// for tests and benchmarks. Built in a hidden folder beside DIR and moved into place when complete.
/// </summary>
internal static class ModelNewCommand
{
    public static Command Create()
    {
        var shape = new Option<string>("--shape") { Description = $"Model shape: {string.Join(", ", Qwen2Shapes.Names)}", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to create", Required = true };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Folder with vocab.json and merges.txt to copy in" };
        var seed = new Option<long>("--seed") { Description = "Seed of the random weights", DefaultValueFactory = _ => 0 };
        var dtype = ModelCliOptions.DType();
        var shardSize = new Option<string>("--shard-size") { Description = "Largest safetensors file, e.g. 2GB", DefaultValueFactory = _ => "2GB" };
        var force = new Option<bool>("--force") { Description = "Replace DIR if it exists" };
        var command = new Command("new", "Create a random-weight Qwen2 model folder of a real shape")
        {
            shape, output, tokenizer, seed, dtype, shardSize, force,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            Qwen2Config config;
            SafetensorsDType storage;
            long maxShard;
            try
            {
                config = Qwen2Shapes.Get(parseResult.GetRequiredValue(shape));
                var type = ModelCliOptions.ParseScalarType(parseResult.GetRequiredValue(dtype));
                storage = ModelCliOptions.ToStorageType(type);
                maxShard = ModelCliOptions.ParseSize(parseResult.GetRequiredValue(shardSize));
            }
            catch (ArgumentException e)
            {
                console.Error(e.Message);
                return 2;
            }

            var target = Path.GetFullPath(parseResult.GetRequiredValue(output));
            if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any() && !parseResult.GetValue(force))
            {
                console.Error($"'{target}' exists and is not empty; choose another --out or add --force to replace it.");
                return 1;
            }
            var tokenizerDirectory = parseResult.GetValue(tokenizer);
            if (tokenizerDirectory is not null)
            {
                try
                {
                    var loaded = Qwen2Tokenizer.FromDirectory(tokenizerDirectory);
                    if (loaded.VocabularySize > config.VocabSize)
                        throw new ArgumentException($"the tokenizer has {loaded.VocabularySize} tokens, more than the shape's vocab_size {config.VocabSize}.");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    console.Error($"cannot use the tokenizer in '{tokenizerDirectory}': {e.Message}");
                    return 2;
                }
            }

            var parent = Path.GetDirectoryName(target)!;
            Directory.CreateDirectory(parent);
            var building = Path.Combine(parent, "." + Path.GetFileName(target) + ".partial-" + Guid.NewGuid().ToString("N")[..8]);
            try
            {
                long parameters;
                using (var meta = new Qwen2ForCausalLM(config, ScalarType.Float32, META))
                    parameters = meta.ParameterCount;
                var totalBytes = parameters * storage.ElementSize();
                console.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture,
                    $"Qwen2 {parseResult.GetRequiredValue(shape)}: {parameters:N0} parameters, {ModelCliOptions.FormatBytes(totalBytes)} as {storage}")));
                await console.Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                    .StartAsync(context =>
                    {
                        var task = context.AddTask("writing weights", maxValue: totalBytes);
                        return Task.Run(() =>
                        {
                            ModelFolder.WriteRandom(config, building, parseResult.GetValue(seed), storage, maxShard, entry =>
                            {
                                cancellationToken.ThrowIfCancellationRequested();
                                task.Increment(entry.ByteLength);
                            });
                            task.StopTask();
                        }, cancellationToken);
                    }).ConfigureAwait(false);
                if (tokenizerDirectory is not null)
                    ModelFolder.CopyTokenizerFiles(tokenizerDirectory, building);
                if (Directory.Exists(target))
                    Directory.Delete(target, recursive: true);
                Directory.Move(building, target);
            }
            catch
            {
                if (Directory.Exists(building))
                    Directory.Delete(building, recursive: true);
                throw;
            }

            var table = new Table().AddColumns("file", "size");
            foreach (var file in Directory.GetFiles(target).Order(StringComparer.Ordinal))
                table.AddRow(Markup.Escape(Path.GetFileName(file)), ModelCliOptions.FormatBytes(new FileInfo(file).Length));
            console.Write(table);
            console.MarkupLine($"[green]Created {Markup.Escape(target)}[/]");
            return 0;
        });
        return command;
    }
}
