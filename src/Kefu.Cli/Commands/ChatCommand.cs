using System.CommandLine;
using Kefu.Cli.Commands.Model;
using Kefu.Model.Lora;
using Kefu.Model.Runtime;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary><c>kefu chat --model DIR [--adapter DIR]</c>: talk to a model folder in the terminal, replies streamed.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var adapter = new Option<string?>("--adapter") { Description = "LoRA adapter folder (PEFT format, e.g. kefu train output); merged into the loaded weights" };
        var compute = new ModelComputeOptions();
        var system = new Option<string?>("--system") { Description = "System prompt (default: the template's)" };
        var maxNewTokens = new Option<int>("--max-new-tokens") { Description = "Longest reply in tokens", DefaultValueFactory = _ => 512 };
        var temperature = new Option<double?>("--temperature") { Description = "0 for greedy; default: the folder's generation_config.json" };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed, for repeatable replies" };
        var command = new Command("chat", "Chat with a Qwen2 model folder in the terminal")
        {
            model, adapter, compute.DType, compute.Device, compute.Threads, system, maxNewTokens, temperature, seed,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            if (!compute.TryParse(parseResult, console, out var type, out var target))
                return 2;

            var directory = parseResult.GetRequiredValue(model);
            console.MarkupLine($"Loading [bold]{Markup.Escape(directory)}[/] …");
            using var local = await Task.Run(() => LocalModel.Load(directory, type, target, warn: w => console.MarkupLine($"[yellow]{Markup.Escape(w)}[/]")), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(adapter) is { } adapterDirectory)
            {
                // Merged in memory (W += B·A·alpha/r), then the wrappers are removed: chatting costs nothing per
                // token over the base model.
                try
                {
                    using var lora = LoraAdapter.Load(local.Model, adapterDirectory);
                    lora.Merge();
                    lora.Detach();
                    console.MarkupLine($"Adapter [bold]{Markup.Escape(adapterDirectory)}[/]: r={lora.Config.Rank}, {lora.Layers.Count} layers merged");
                }
                catch (Exception e) when (e is LoraFormatException or IOException)
                {
                    console.Error($"--adapter '{adapterDirectory}': {e.Message}");
                    return 2;
                }
            }
            var defaults = local.Recommended with { MaxNewTokens = parseResult.GetValue(maxNewTokens) };
            if (parseResult.GetValue(temperature) is { } t)
                defaults = defaults with { Temperature = t };
            if (parseResult.GetValue(seed) is { } s)
                defaults = defaults with { Seed = s };
            using var client = local.CreateChatClient(defaults);
            var loop = new ChatLoop(console, Console.In, client, parseResult.GetValue(system), new ChatOptions());
            return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }
}
