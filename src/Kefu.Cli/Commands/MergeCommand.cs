using System.CommandLine;
using Kefu.Cli.Commands.Model;
using Kefu.Model.Configuration;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu merge --model DIR --adapter DIR --out DIR</c>: fold a LoRA adapter into a complete HF model folder.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var adapter = new Option<string>("--adapter") { Description = "LoRA adapter folder (adapter_config.json, adapter_model.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "New model folder (must not exist or be empty)", Required = true };
        var shard = new Option<string>("--max-shard-size") { Description = "Largest safetensors shard (e.g. 2GB)", DefaultValueFactory = _ => "2GB" };
        var command = new Command("merge", "Merge a LoRA adapter into its base model: W += (B·A)·alpha/r in float32") { model, adapter, output, shard };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            try
            {
                var maxShard = ModelCliOptions.ParseSize(parseResult.GetRequiredValue(shard));
                var written = 0;
                var merged = await Task.Run(() => LoraMerge.MergeFolder(parseResult.GetRequiredValue(model), parseResult.GetRequiredValue(adapter),
                    parseResult.GetRequiredValue(output), maxShard, _ => written++), cancellationToken).ConfigureAwait(false);
                console.MarkupLine($"[green]Merged[/] {merged} weights ({written} tensors written) into [bold]{Markup.Escape(Path.GetFullPath(parseResult.GetRequiredValue(output)))}[/].");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or LoraFormatException or ModelConfigException or SafetensorsFormatException or IOException)
            {
                console.Error(e.Message);
                return 2;
            }
        });
        return command;
    }
}
