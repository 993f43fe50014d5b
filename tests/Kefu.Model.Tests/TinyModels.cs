using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests;

/// <summary>Tiny random Qwen2 models built in code: every part of the real architecture, small enough for milliseconds.</summary>
internal static class TinyModels
{
    /// <summary>hidden 64, 2 layers, 4 query heads over 2 key/value heads, vocabulary 300.</summary>
    public static Qwen2Config Config(bool tied) => new()
    {
        VocabSize = 300,
        HiddenSize = 64,
        IntermediateSize = 128,
        NumHiddenLayers = 2,
        NumAttentionHeads = 4,
        NumKeyValueHeadsRaw = 2,
        MaxPositionEmbeddings = 512,
        RopeTheta = 10000.0,
        RmsNormEps = 1e-6,
        TieWordEmbeddings = tied,
        SlidingWindow = null,
        MaxWindowLayers = null,
    };

    /// <summary>
    /// A model with N(0, 0.2) weights and random norms and biases, so every parameter matters to the output and logits
    /// are far from zero.
    /// </summary>
    public static Qwen2ForCausalLM Create(bool tied = false, long seed = 1234, ScalarType dtype = ScalarType.Float32, Qwen2Config? config = null)
    {
        var model = new Qwen2ForCausalLM(config ?? Config(tied), dtype, CPU);
        Qwen2WeightInit.Initialize(model, seed, std: 0.2, perturbNormsAndBiases: true);
        model.eval();
        return model;
    }

    /// <summary>Deterministic pseudo-random token ids below <paramref name="vocab"/>.</summary>
    public static long[] Ids(int count, int seed, int vocab = 300)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => (long)random.Next(vocab)).ToArray();
    }

    /// <summary>Largest absolute difference between two tensors, as a double.</summary>
    public static double MaxDifference(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        return (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max().item<double>();
    }
}
