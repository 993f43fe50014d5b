using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Export.Tests;

/// <summary>A tiny random Qwen2 model folder (real vocabulary) with the real tokenizer files from ../shared.</summary>
internal static class TinyModelFolders
{
    public static Qwen2ForCausalLM CreateModel(long seed = 5)
    {
        var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("tiny"), ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, seed, std: 0.2, perturbNormsAndBiases: true);
        model.eval();
        return model;
    }

    /// <summary>Saves <paramref name="model"/> with vocab.json, merges.txt and the Qwen2-0.5B-Instruct tokenizer_config.json.</summary>
    public static string Write(Qwen2ForCausalLM model, string directory)
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        ModelFolder.Save(model, directory);
        File.Copy(Path.Combine(tokenizer, "vocab.json"), Path.Combine(directory, "vocab.json"));
        File.Copy(Path.Combine(tokenizer, "merges.txt"), Path.Combine(directory, "merges.txt"));
        File.Copy(Path.Combine(tokenizer, "tokenizer_config.qwen2-0.5b-instruct.json"), Path.Combine(directory, "tokenizer_config.json"));
        return directory;
    }
}
