using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Quantization.Tests;

/// <summary>The tiny Qwen2 shape (real vocabulary, hidden 64) with random weights, and calibration ids for it.</summary>
internal static class TinyQuantizedModels
{
    public static readonly QuantizationScheme Scheme = new() { GroupSize = 32, BlockSize = 32 };

    public static Qwen2ForCausalLM Create(long seed = 21)
    {
        var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("tiny"), ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, seed, std: 0.2, perturbNormsAndBiases: true);
        model.eval();
        return model;
    }

    /// <summary>Deterministic token sequences over the first few thousand ids (common BPE tokens).</summary>
    public static IReadOnlyList<int[]> Calibration(int samples, int length, int seed = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, samples).Select(_ => Enumerable.Range(0, length).Select(_ => random.Next(3000)).ToArray()).ToList();
    }
}
