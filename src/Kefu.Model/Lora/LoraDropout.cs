using static TorchSharp.torch;

namespace Kefu.Model.Lora;

/// <summary>
/// Dropout on the LoRA input with its own generator, reseeded by the trainer from (seed, step), so a run resumed
/// from a checkpoint draws exactly the masks the uninterrupted run drew, without saving any RNG state.
/// </summary>
public sealed class LoraDropout : IDisposable
{
    private Generator _generator;

    public LoraDropout(double probability, long seed = 0)
    {
        Probability = probability;
        _generator = new Generator((ulong)seed);
    }

    public double Probability { get; }

    /// <summary>Restarts the mask stream at a seed derived from the run seed and a step number.</summary>
    public void Reseed(long seed, long step)
    {
        _generator.Dispose();
        _generator = new Generator(unchecked((ulong)(seed * 1_000_003L + step)));
    }

    /// <summary>
    /// A copy of the mask stream's position. Activation checkpointing takes one before a layer's first forward pass and
    /// hands it to <see cref="RestoreState"/> before recomputing the layer, so the recomputation draws the same masks.
    /// </summary>
    public Tensor SaveState() => _generator.get_state();

    /// <summary>Rewinds the mask stream to a position from <see cref="SaveState"/>.</summary>
    public void RestoreState(Tensor state) => _generator.set_state(state);

    /// <summary>Zeroes each element with the configured probability and scales the rest by 1/(1−p).</summary>
    public Tensor Apply(Tensor input)
    {
        if (Probability <= 0)
            return input;
        using var scope = NewDisposeScope();
        var keep = rand(input.shape, ScalarType.Float32, generator: _generator).to(input.device).ge(Probability);
        return (input * keep.to(input.dtype) / (1 - Probability)).MoveToOuterDisposeScope();
    }

    public void Dispose() => _generator.Dispose();
}
