using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Random weights as transformers' Qwen2PreTrainedModel._init_weights makes them: linear and embedding weights
/// ~ N(0, initializer_range), biases 0, norm weights 1. For tests, <c>perturbNormsAndBiases</c> makes norms
/// and biases random too, so a wrongly applied bias or norm weight cannot hide behind zeros and ones.
/// </summary>
public static class Qwen2WeightInit
{
    /// <summary>Creates the random value of one parameter by its checkpoint name.</summary>
    public static Tensor Create(string name, long[] shape, ScalarType dtype, double std, Generator generator, bool perturbNormsAndBiases = false)
    {
        using var scope = NewDisposeScope();
        Tensor value;
        if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            value = perturbNormsAndBiases ? 1 + 0.1 * randn(shape, ScalarType.Float32, generator: generator) : ones(shape, ScalarType.Float32);
        else if (name.EndsWith(".bias", StringComparison.Ordinal))
            value = perturbNormsAndBiases ? 0.1 * randn(shape, ScalarType.Float32, generator: generator) : zeros(shape, ScalarType.Float32);
        else
            value = randn(shape, ScalarType.Float32, generator: generator) * std;
        return value.to(dtype).MoveToOuterDisposeScope();
    }

    /// <summary>Fills every parameter of <paramref name="model"/>, in name order, from one seeded generator.</summary>
    public static void Initialize(Qwen2ForCausalLM model, long seed, double? std = null, bool perturbNormsAndBiases = false)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in model.NamedWeights())
        {
            using var value = Create(name, parameter.shape, parameter.dtype, std ?? model.Config.InitializerRange, generator, perturbNormsAndBiases);
            parameter.copy_(value);
        }
    }
}
