using System.CommandLine;
using System.Globalization;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Spectre.Console;
using static TorchSharp.torch;

namespace Kefu.Cli.Commands.Model;

/// <summary>Options shared by the model verbs, the parsing of their values, and loading the model they name.</summary>
internal static class ModelCliOptions
{
    public static Option<string> ModelDirectory() => new("--model")
    {
        Description = "Model folder (config.json, *.safetensors, vocab.json, merges.txt)",
        Required = true,
    };

    public static Option<string> DType(string defaultValue = "float32") => new("--dtype")
    {
        Description = "Compute type: float32 or bfloat16",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "cpu, cuda, cuda:N or auto",
        DefaultValueFactory = _ => "cpu",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = "CPU threads for libtorch (default: libtorch's choice, the physical cores)",
    };

    /// <summary>Loads a model folder, saying so on the console with the loader's warnings.</summary>
    public static Qwen2ForCausalLM LoadModel(IAnsiConsole console, string directory, ScalarType type, Device device)
    {
        console.MarkupLine($"Loading [bold]{Markup.Escape(directory)}[/] as {type} …");
        return ModelFolder.Load(directory, type, device, warn: w => console.MarkupLine($"[yellow]{Markup.Escape(w)}[/]"));
    }

    /// <summary>"float32" / "bfloat16" (also fp32, f32, bf16) → the TorchSharp type.</summary>
    public static ScalarType ParseScalarType(string text) => text.Trim().ToLowerInvariant() switch
    {
        "float32" or "fp32" or "f32" => ScalarType.Float32,
        "bfloat16" or "bf16" => ScalarType.BFloat16,
        _ => throw new ArgumentException($"Unknown --dtype '{text}': use float32 or bfloat16."),
    };

    public static SafetensorsDType ToStorageType(ScalarType type) => SafetensorsDTypes.FromScalarType(type);

    /// <summary>Sizes like 2GB, 500MB, 64KiB or a plain number of bytes (decimal units are powers of 1000).</summary>
    public static long ParseSize(string text)
    {
        var trimmed = text.Trim();
        var digits = trimmed.TakeWhile(c => char.IsDigit(c) || c == '.').Count();
        if (digits == 0 || !double.TryParse(trimmed[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number <= 0)
            throw new ArgumentException($"Cannot read size '{text}': use e.g. 2GB, 500MB or a number of bytes.");
        long unit = trimmed[digits..].Trim().ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1000,
            "MB" => 1000_000,
            "GB" => 1000_000_000,
            "KIB" => 1L << 10,
            "MIB" => 1L << 20,
            "GIB" => 1L << 30,
            _ => throw new ArgumentException($"Cannot read size '{text}': the unit must be B, KB, MB, GB, KiB, MiB or GiB."),
        };
        return (long)(number * unit);
    }

    /// <summary>Bytes for people: 1.98 GB.</summary>
    public static string FormatBytes(double bytes) => bytes switch
    {
        >= 1e9 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.00} GB"),
        >= 1e6 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.0} MB"),
        >= 1e3 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.0} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:0} B"),
    };
}
