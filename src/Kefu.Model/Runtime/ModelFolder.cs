using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Quantization;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Model.Runtime;

/// <summary>
/// A Hugging Face model folder (config.json, safetensors, generation_config.json, tokenizer files): loaded into a
/// <see cref="Qwen2ForCausalLM"/>, saved from one, or made from scratch with random weights.
/// </summary>
public static class ModelFolder
{
    /// <summary>Tokenizer files a model folder may carry; copied along when a folder is made.</summary>
    public static IReadOnlyList<string> TokenizerFileNames { get; } =
        ["vocab.json", "merges.txt", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json"];

    /// <summary>
    /// Loads config and weights. Parameters are allocated empty (untouched memory) and filled from the memory-mapped
    /// checkpoint one tensor at a time, converting to <paramref name="dtype"/> on the way, so the weights exist once.
    /// </summary>
    public static Qwen2ForCausalLM Load(string directory, ScalarType dtype = ScalarType.Float32, Device? device = null,
        Action<string>? warn = null, Action<string, int, int>? onLoaded = null)
    {
        var config = Qwen2Config.Load(directory, warn);
        // A GPTQ folder (quantization_config in config.json, or quantize_config.json) loads into int4 layers.
        if (GptqQuantizeConfig.TryLoad(directory, config) is { } quantization)
            return GptqModelLoader.Load(directory, config, quantization, dtype, device, onLoaded);
        using var checkpoint = SafetensorsCheckpoint.Open(directory);
        var model = new Qwen2ForCausalLM(config, dtype, device);
        try
        {
            // transformers leaves a tied head out of the file; some exporters write it anyway. Either is fine.
            checkpoint.LoadInto(model.NamedWeights(), name => config.TieWordEmbeddings && name == "lm_head.weight", onLoaded);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>Writes config.json and the weights (sharded above <paramref name="maxShardBytes"/>) of a model.</summary>
    public static void Save(Qwen2ForCausalLM model, string directory, SafetensorsDType? dtype = null,
        long maxShardBytes = SafetensorsCheckpointWriter.DefaultMaxShardBytes, Action<SafetensorsEntry>? onWritten = null)
    {
        Directory.CreateDirectory(directory);
        var entries = model.NamedWeights().Select(w => SafetensorsEntry.FromTensor(w.Key, w.Value, dtype)).ToList();
        SafetensorsCheckpointWriter.Write(directory, entries, maxShardBytes, onWritten: onWritten);
        var storedAs = dtype ?? SafetensorsDTypes.FromScalarType(model.DType);
        (model.Config with { TorchDtype = TorchDtypeName(storedAs) }).Save(directory);
    }

    /// <summary>
    /// The checkpoint entries of a model of shape <paramref name="config"/> with random weights, produced one
    /// tensor at a time when written (a 7B model never sits in memory). A generator seeded alike gives the same weights as
    /// <see cref="Qwen2WeightInit.Initialize"/> on a model of that shape.
    /// </summary>
    public static IReadOnlyList<SafetensorsEntry> RandomWeights(Qwen2Config config, SafetensorsDType dtype, Generator generator)
    {
        using var meta = new Qwen2ForCausalLM(config, ScalarType.Float32, META);
        var type = dtype.ToScalarType();
        return meta.NamedWeights()
            .Select(w => (Name: w.Key, Shape: w.Value.shape))
            .Select(w => new SafetensorsEntry(w.Name, dtype, w.Shape, () => Qwen2WeightInit.Create(w.Name, w.Shape, type, config.InitializerRange, generator)))
            .ToList();
    }

    /// <summary>Writes a complete random-weight model folder: config.json, generation_config.json, safetensors.</summary>
    public static void WriteRandom(Qwen2Config config, string directory, long seed, SafetensorsDType dtype,
        long maxShardBytes = SafetensorsCheckpointWriter.DefaultMaxShardBytes, Action<SafetensorsEntry>? onWritten = null)
    {
        Directory.CreateDirectory(directory);
        using var generator = new Generator((ulong)seed);
        var entries = RandomWeights(config, dtype, generator);
        SafetensorsCheckpointWriter.Write(directory, entries, maxShardBytes, onWritten: onWritten);
        (config with { TorchDtype = TorchDtypeName(dtype) }).Save(directory);
        Qwen2GenerationConfig.Qwen2Instruct.Save(directory);
    }

    /// <summary>Copies the tokenizer files found in <paramref name="tokenizerDirectory"/>; returns the names copied.</summary>
    public static IReadOnlyList<string> CopyTokenizerFiles(string tokenizerDirectory, string directory)
    {
        var copied = new List<string>();
        foreach (var name in TokenizerFileNames)
        {
            var source = Path.Combine(tokenizerDirectory, name);
            if (!File.Exists(source))
                continue;
            var temp = Path.Combine(directory, "." + name + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
            File.Copy(source, temp);
            File.Move(temp, Path.Combine(directory, name), overwrite: true);
            copied.Add(name);
        }
        return copied;
    }

    private static string TorchDtypeName(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.BF16 => "bfloat16",
        SafetensorsDType.F16 => "float16",
        _ => "float32",
    };
}
