using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// One tiny random Qwen2 (hidden 64, intermediate 128 so every weight row is whole 32-value blocks, 2 layers,
/// 4 query / 2 key-value heads) with the real 151,936-entry vocabulary, saved once as a model folder and exported
/// to GGUF once per type on first use. Deleted with the fixture.
/// </summary>
public sealed class TinyQwen2Exports : IDisposable
{
    public const long Seed = 11;

    private readonly TempDirectory _temp = new();
    private readonly Dictionary<GgufOutputType, string> _ggufs = [];
    private Qwen2ForCausalLM? _model;
    private string? _folder;

    public static Qwen2Config Config { get; } = Qwen2Shapes.Get("tiny") with { IntermediateSize = 128 };

    public TempDirectory Temp => _temp;

    /// <summary>The model in Kefu's TorchSharp implementation (float32, eval mode).</summary>
    public Qwen2ForCausalLM Model => _model ??= CreateModel();

    /// <summary>The saved model folder with the real tokenizer (skips when ../shared/qwen2-tokenizer is absent).</summary>
    public string Folder => _folder ??= WriteFolder(Model, _temp.File("model"));

    /// <summary>A fresh copy of the model (same seed), for tests that attach adapters or swap weights; or one of another shape.</summary>
    public static Qwen2ForCausalLM CreateModel(Qwen2Config? config = null)
    {
        var model = new Qwen2ForCausalLM(config ?? Config, ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, Seed, std: 0.2, perturbNormsAndBiases: true);
        model.eval();
        return model;
    }

    /// <summary>The model exported by <see cref="Qwen2GgufExporter"/> as <paramref name="type"/>.</summary>
    public string Gguf(GgufOutputType type)
    {
        if (!_ggufs.TryGetValue(type, out var path))
        {
            path = _temp.File($"tiny-{type}.gguf");
            Qwen2GgufExporter.Export(Folder, path, type, name: "tiny");
            _ggufs[type] = path;
        }
        return path;
    }

    /// <summary>A copy of the model whose every weight is the one stored in the GGUF, decoded by Kefu.</summary>
    public Qwen2ForCausalLM ModelWithGgufWeights(GgufOutputType type)
    {
        var file = GgufFile.Read(Gguf(type));
        var model = CreateModel();
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.NamedWeights())
        {
            var ggufName = Qwen2GgufNames.TryMap(name) ?? throw new InvalidOperationException($"{name} has no GGUF name.");
            using var stored = tensor(file.ReadFloats(ggufName), parameter.shape);
            parameter.copy_(stored);
        }
        return model;
    }

    /// <summary>Kefu's logits [position][vocabulary] for <paramref name="ids"/> as one sequence from position 0.</summary>
    public static float[][] KefuLogits(Qwen2ForCausalLM model, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count], ScalarType.Int64);
        var logits = model.forward(input).squeeze(0).contiguous();
        var flat = logits.data<float>().ToArray();
        var vocabulary = (int)logits.shape[1];
        return Enumerable.Range(0, ids.Count).Select(p => flat.AsSpan(p * vocabulary, vocabulary).ToArray()).ToArray();
    }

    /// <summary>Saves <paramref name="model"/> with the real vocab.json, merges.txt and Qwen2-0.5B-Instruct tokenizer_config.json.</summary>
    public static string WriteFolder(Qwen2ForCausalLM model, string directory)
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        ModelFolder.Save(model, directory);
        File.Copy(Path.Combine(tokenizer, "vocab.json"), Path.Combine(directory, "vocab.json"));
        File.Copy(Path.Combine(tokenizer, "merges.txt"), Path.Combine(directory, "merges.txt"));
        File.Copy(Path.Combine(tokenizer, "tokenizer_config.qwen2-0.5b-instruct.json"), Path.Combine(directory, "tokenizer_config.json"));
        return directory;
    }

    public void Dispose()
    {
        _model?.Dispose();
        _temp.Dispose();
    }
}
