using Kefu.Model.Modules;
using Kefu.Model.Safetensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Lora;

/// <summary>
/// A LoRA adapter attached to a <see cref="Qwen2ForCausalLM"/>: the wrapped layers by full name, their trainable
/// parameters (the only ones an optimizer should see), and load/save in HF PEFT's layout. Attaching freezes nothing
/// new: the model's own parameters are created frozen.
/// </summary>
public sealed class LoraAdapter : IDisposable
{
    /// <summary>Name of the weights file in an adapter folder.</summary>
    public const string WeightsFileName = "adapter_model.safetensors";

    private LoraAdapter(Qwen2ForCausalLM model, LoraConfig config, IReadOnlyList<KeyValuePair<string, LoraLinear>> layers, LoraDropout dropout)
    {
        Model = model;
        Config = config;
        Layers = layers;
        Dropout = dropout;
    }

    public Qwen2ForCausalLM Model { get; }

    public LoraConfig Config { get; }

    /// <summary>The wrapped layers under their module names (model.layers.0.self_attn.q_proj, …).</summary>
    public IReadOnlyList<KeyValuePair<string, LoraLinear>> Layers { get; }

    /// <summary>The dropout shared by every wrapped layer (reseeded per step by the trainer).</summary>
    public LoraDropout Dropout { get; }

    /// <summary>Wraps the layers <paramref name="config"/> targets; A is drawn from a generator seeded with <paramref name="seed"/>.</summary>
    public static LoraAdapter Attach(Qwen2ForCausalLM model, LoraConfig config, long seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        if (model.NamedLinears().Any(l => l.Value is LoraLinear))
            throw new InvalidOperationException("This model already carries a LoRA adapter; load the base model again to attach another.");
        var names = LoraTargets.Select(model, config.TargetModules);
        var dropout = new LoraDropout(config.Dropout, seed);
        using var generator = new Generator((ulong)seed);
        var layers = new List<KeyValuePair<string, LoraLinear>>(names.Count);
        foreach (var name in names)
        {
            LoraLinear? wrapper = null;
            model.ReplaceLinear(name, current => wrapper = new LoraLinear(current, config.RankOf(name), config.ScalingOf(name), dropout, generator));
            // New modules start in training mode; follow the model's, or an eval-mode model would apply dropout.
            wrapper!.train(model.training);
            layers.Add(new(name, wrapper!));
        }
        return new LoraAdapter(model, config, layers, dropout);
    }

    /// <summary>Loads an adapter folder (adapter_config.json + adapter_model.safetensors, PEFT layout) onto <paramref name="model"/>.</summary>
    public static LoraAdapter Load(Qwen2ForCausalLM model, string directory)
    {
        var config = LoraConfig.Load(directory);
        var adapter = Attach(model, config);
        try
        {
            adapter.LoadWeights(directory);
        }
        catch
        {
            adapter.Detach();
            adapter.Dispose();
            throw;
        }
        return adapter;
    }

    /// <summary>The PEFT tensor name of a layer's A or B: base_model.model.{module}.lora_A.weight.</summary>
    public static string PeftName(string moduleName, char matrix) => $"base_model.model.{moduleName}.lora_{matrix}.weight";

    /// <summary>The trainable parameters, A then B per layer in model order.</summary>
    public IReadOnlyList<Parameter> TrainableParameters() => Layers.SelectMany(l => new[] { l.Value.lora_A, l.Value.lora_B }).ToList();

    /// <summary>Every adapter tensor under its PEFT name.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedTensors() =>
        Layers.SelectMany(l => new KeyValuePair<string, Tensor>[]
        {
            new(PeftName(l.Key, 'A'), l.Value.lora_A),
            new(PeftName(l.Key, 'B'), l.Value.lora_B),
        }).ToList();

    /// <summary>Number of trainable elements.</summary>
    public long ParameterCount => TrainableParameters().Sum(p => p.NumberOfElements);

    /// <summary>Writes adapter_config.json and adapter_model.safetensors (float32), each atomically.</summary>
    public void Save(string directory, string? baseModelNameOrPath = null)
    {
        Directory.CreateDirectory(directory);
        SafetensorsWriter.WriteTensors(Path.Combine(directory, WeightsFileName), NamedTensors(), new Dictionary<string, string> { ["format"] = "pt" });
        (Config with { BaseModelNameOrPath = baseModelNameOrPath ?? Config.BaseModelNameOrPath, InferenceMode = true }).Save(directory);
    }

    /// <summary>Copies A and B from a folder's adapter_model.safetensors; every expected tensor must be there, and nothing else.</summary>
    public void LoadWeights(string directory)
    {
        var path = Path.Combine(directory, WeightsFileName);
        using var file = SafetensorsFile.Open(path);
        // PEFT strips the adapter name when saving; files saved by hand sometimes keep ".default".
        var stored = file.Header.Tensors.Keys.ToDictionary(k => k.Replace(".default.weight", ".weight", StringComparison.Ordinal), k => k, StringComparer.Ordinal);
        var expected = NamedTensors();
        foreach (var (name, tensor) in expected)
        {
            if (!stored.TryGetValue(name, out var storedName))
                throw new LoraFormatException($"{path}: no tensor '{name}' although adapter_config.json targets that module.");
            file.CopyInto(storedName, tensor);
        }
        var unknown = stored.Keys.Except(expected.Select(e => e.Key), StringComparer.Ordinal).FirstOrDefault();
        if (unknown is not null)
            throw new LoraFormatException($"{path}: tensor '{stored[unknown]}' belongs to no module this adapter wraps (is it for another model, or does it train modules_to_save?).");
    }

    /// <summary>Adds every update into its base weight; inference then runs at base speed.</summary>
    public void Merge()
    {
        foreach (var layer in Layers)
            layer.Value.Merge();
    }

    /// <summary>Puts the base layers back in place of the wrappers (merged weights stay merged).</summary>
    public void Detach()
    {
        foreach (var (name, layer) in Layers)
            Model.ReplaceLinear(name, _ => layer.BaseLayer);
    }

    public void Dispose() => Dropout.Dispose();
}
