using System.CommandLine;
using System.Text.Json;
using Kefu.Export.Gguf;
using Kefu.Export.Imatrix;
using Kefu.Export.Ollama;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using Kefu.Text;
using Kefu.Training.Data;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu export gguf|lora|ollama</c>: a merged model as GGUF (llama.cpp, Ollama), a LoRA adapter as a GGUF
/// adapter, and an Ollama Modelfile with the Qwen2.5 template, stop tokens and the shop's system prompt.
/// </summary>
internal static class ExportCommands
{
    public static Command Create()
    {
        var export = new Command("export", "Export models for llama.cpp and Ollama (GGUF, GGUF LoRA adapters, Modelfile).");
        export.Subcommands.Add(Gguf());
        export.Subcommands.Add(Lora());
        export.Subcommands.Add(Ollama());
        return export;
    }

    private static Command Gguf()
    {
        var model = new Option<string>("--model") { Description = "Merged float model folder (config.json, safetensors, vocab.json, merges.txt)", Required = true };
        var output = new Option<string>("--out") { Description = "GGUF file to write", Required = true };
        var type = new Option<string>("--type")
        {
            Description = "f32, f16, bf16, q8_0, q6_k, q4_k_m or q4_0 (q4_k_m: llama.cpp's usual 4-bit mix, Q4_K with Q6_K for the head and sensitive layers)",
            DefaultValueFactory = _ => "q8_0",
        };
        var name = new Option<string?>("--name") { Description = "general.name (default: the folder name)" };
        var template = new Option<string?>("--chat-template") { Description = "Jinja chat template file (default: tokenizer_config.json's, else Qwen2's ChatML)" };
        var imatrixData = new Option<string?>("--imatrix-data")
        {
            Description = "`kefu data build` folder: run the model over its training split and quantize with the resulting importance matrix, as llama-quantize --imatrix (q4_k_m, q6_k, q4_0)",
        };
        var imatrixSamples = new Option<int>("--imatrix-samples") { Description = "Calibration sequences for --imatrix-data", DefaultValueFactory = _ => 64 };
        var imatrixMaxLength = new Option<int>("--imatrix-max-length") { Description = "Tokens per calibration sequence at most", DefaultValueFactory = _ => 512 };
        var imatrixFile = new Option<string?>("--imatrix") { Description = "Importance matrix file from llama-imatrix (GGUF or legacy .dat) to quantize with, instead of --imatrix-data" };
        var imatrixOut = new Option<string?>("--imatrix-out") { Description = "Also save the matrix computed from --imatrix-data as a llama.cpp GGUF imatrix (llama-quantize --imatrix reads it)" };
        var command = new Command("gguf", "Write a Qwen2 model folder as one GGUF v3 file")
        {
            model, output, type, name, template, imatrixData, imatrixSamples, imatrixMaxLength, imatrixFile, imatrixOut,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            return await Run(console, () =>
            {
                var chatTemplate = parseResult.GetValue(template) is { } templateFile ? File.ReadAllText(templateFile) : null;
                var outputType = GgufOutputTypes.Parse(parseResult.GetRequiredValue(type));
                var data = parseResult.GetValue(imatrixData);
                var file = parseResult.GetValue(imatrixFile);
                if (data is not null && file is not null)
                    throw new ArgumentException("--imatrix and --imatrix-data: give one importance matrix, a file or a data folder to compute it from.");
                if (parseResult.GetValue(imatrixOut) is not null && data is null)
                    throw new ArgumentException("--imatrix-out: saves the matrix computed from --imatrix-data; give --imatrix-data too.");
                if ((data ?? file) is not null && !outputType.WeightType().UsesImportance())
                    throw new ArgumentException($"--imatrix/--imatrix-data: {outputType} does not use an importance matrix (ggml ignores it for q8_0 and the float types); use q4_k_m, q6_k or q4_0.");
                var importance = data is not null
                    ? CollectImportance(console, parseResult.GetRequiredValue(model), data, parseResult.GetValue(imatrixSamples), parseResult.GetValue(imatrixMaxLength))
                    : file is not null ? ImatrixFile.Read(file) : null;
                if (data is not null && parseResult.GetValue(imatrixOut) is { } imatrixPath)
                {
                    ImatrixFile.Write(imatrixPath, importance!);
                    console.MarkupLine($"[green]Wrote[/] [bold]{Markup.Escape(Path.GetFullPath(imatrixPath))}[/] (llama.cpp GGUF imatrix).");
                }
                var written = 0;
                var tensors = Qwen2GgufExporter.Export(parseResult.GetRequiredValue(model), parseResult.GetRequiredValue(output),
                    outputType, parseResult.GetValue(name), chatTemplate, _ => written++, importance);
                var path = Path.GetFullPath(parseResult.GetRequiredValue(output));
                var types = string.Join(", ", tensors.GroupBy(t => t.Type).Select(g => $"{g.Count()} {g.Key}"));
                console.MarkupLine($"[green]Wrote[/] [bold]{Markup.Escape(path)}[/]: {written} tensors ({types}), {ModelCliOptionsFormat(new FileInfo(path).Length)}.");
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static ImportanceMatrix CollectImportance(IAnsiConsole console, string model, string data, int samples, int maxLength)
    {
        if (samples < 1)
            throw new ArgumentException($"--imatrix-samples: must be at least 1, got {samples}.");
        if (maxLength < 2)
            throw new ArgumentException($"--imatrix-max-length: must be at least 2, got {maxLength}.");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var importance = ImportanceCollector.CollectFromData(model, data, samples, maxLength, progress: message => console.MarkupLine(Markup.Escape(message)));
        console.MarkupLine($"imatrix: {importance.Entries.Count} weight matrices from {importance.Chunks} sequences in {watch.Elapsed.TotalSeconds:0.0} s.");
        return importance;
    }

    private static Command Lora()
    {
        var adapter = new Option<string>("--adapter") { Description = "PEFT LoRA adapter folder (adapter_config.json, adapter_model.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "GGUF adapter file to write", Required = true };
        var type = new Option<string>("--type") { Description = "f32, f16, bf16 or q8_0", DefaultValueFactory = _ => "f16" };
        var command = new Command("lora", "Write a LoRA adapter as a GGUF LoRA adapter (llama.cpp --lora, Ollama ADAPTER)") { adapter, output, type };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            return await Run(console, () =>
            {
                var tensors = LoraGgufExporter.Export(parseResult.GetRequiredValue(adapter), parseResult.GetRequiredValue(output), GgufOutputTypes.Parse(parseResult.GetRequiredValue(type)));
                console.MarkupLine($"[green]Wrote[/] [bold]{Markup.Escape(Path.GetFullPath(parseResult.GetRequiredValue(output)))}[/]: {tensors.Count / 2} adapted layers.");
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static Command Ollama()
    {
        var gguf = new Option<string>("--gguf") { Description = "Model GGUF the Modelfile points at (written as given; relative paths resolve against the Modelfile)", Required = true };
        var adapter = new Option<string?>("--adapter") { Description = "GGUF LoRA adapter to apply (ADAPTER)" };
        var output = new Option<string>("--out") { Description = "Modelfile to write", DefaultValueFactory = _ => OllamaModelfile.FileName };
        var shop = new Option<string?>("--shop") { Description = "kefu-data.json whose \"system\" is the SYSTEM prompt" };
        var system = new Option<string?>("--system") { Description = "SYSTEM prompt text (instead of --shop)" };
        var command = new Command("ollama", "Write an Ollama Modelfile (Qwen2.5 template with tools, stop tokens, shop system prompt)") { gguf, adapter, output, shop, system };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            return await Run(console, () =>
            {
                var prompt = parseResult.GetValue(system) ?? (parseResult.GetValue(shop) is { } path ? ReadShopSystemPrompt(path) : null);
                OllamaModelfile.Write(parseResult.GetRequiredValue(output), parseResult.GetRequiredValue(gguf), prompt, parseResult.GetValue(adapter));
                console.MarkupLine($"[green]Wrote[/] [bold]{Markup.Escape(Path.GetFullPath(parseResult.GetRequiredValue(output)))}[/]; run: ollama create kefu -f {Markup.Escape(parseResult.GetRequiredValue(output))}");
            }, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static string ReadShopSystemPrompt(string path)
    {
        if (!File.Exists(path))
            throw new IOException($"{path}: file not found.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return document.RootElement.TryGetProperty("system", out var system) && system.ValueKind == JsonValueKind.String
                ? system.GetString()!
                : throw new ArgumentException($"{path}: field system: missing or not a string.");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"{path}: not valid JSON ({e.Message}).", e);
        }
    }

    private static string ModelCliOptionsFormat(long bytes) => Model.ModelCliOptions.FormatBytes(bytes);

    private static async Task<int> Run(IAnsiConsole console, Action action, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Run(action, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or GgufFormatException or ModelConfigException or SafetensorsFormatException
            or LoraFormatException or TokenizerLoadException or IOException or SftDatasetException)
        {
            console.Error(e.Message);
            return 2;
        }
    }
}
