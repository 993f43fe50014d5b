using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Rotary position embedding (RoPE) as Qwen2RotaryEmbedding: inverse frequencies θ^(−2i/d) in float32, angles =
/// position × frequency, the half-split layout (rotate_half), no scaling. It has no parameters: HF keeps inv_freq as
/// a non-persistent buffer, so it is not in checkpoints either.
/// </summary>
public sealed class RotaryEmbedding : nn.Module
{
    private readonly int _headDim;
    private readonly double _theta;
    private readonly Lock _gate = new();
    private Tensor? _invFreq;

    public RotaryEmbedding(int headDim, double theta) : base(nameof(RotaryEmbedding))
    {
        if (headDim % 2 != 0)
            throw new ArgumentException($"Rotary embeddings need an even head size, got {headDim}.", nameof(headDim));
        _headDim = headDim;
        _theta = theta;
    }

    /// <summary>cos and sin of the rotation angles, [batch, seq, headDim] in <paramref name="dtype"/>, for position ids [batch, seq].</summary>
    public (Tensor Cos, Tensor Sin) forward(Tensor positionIds, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var invFreq = InverseFrequencies(positionIds.device);
        var angles = positionIds.to(ScalarType.Float32).unsqueeze(-1) * invFreq;
        var both = cat([angles, angles], dim: -1);
        var cos = both.cos().to(dtype).MoveToOuterDisposeScope();
        var sin = both.sin().to(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>Rotates queries [batch, heads, seq, headDim] (or keys) by the angles from <see cref="forward"/>.</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var c = cos.unsqueeze(1);
        var s = sin.unsqueeze(1);
        return (x * c + RotateHalf(x) * s).MoveToOuterDisposeScope();
    }

    /// <summary>[x1, x2] → [−x2, x1] over the last dimension's halves.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        using var scope = NewDisposeScope();
        var half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        return cat([x2.neg(), x1], dim: -1).MoveToOuterDisposeScope();
    }

    private Tensor InverseFrequencies(Device device)
    {
        lock (_gate)
        {
            if (_invFreq is not null && _invFreq.device_type == device.type && _invFreq.device_index == device.index)
                return _invFreq;
            _invFreq?.Dispose();
            using var scope = NewDisposeScope();
            // As transformers: 1 / base ** (arange(0, d, 2).float() / d), in float32.
            var exponents = arange(0, _headDim, 2, ScalarType.Int64).to(ScalarType.Float32) / _headDim;
            var inv = pow(tensor((float)_theta), exponents).reciprocal();
            _invFreq = inv.to(device).DetachFromDisposeScope();
            return _invFreq;
        }
    }

    protected override void RegisterComponents() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _invFreq?.Dispose();
        base.Dispose(disposing);
    }
}
