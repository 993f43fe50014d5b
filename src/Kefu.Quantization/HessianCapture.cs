using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// Sits in place of a linear layer (through the model's replaceable-linear hook) while calibration data runs and
/// accumulates the layer's Hessian H = 2/N · Σ XᵀX over its inputs, N counting samples, exactly as the reference
/// GPTQ add_batch: the running mean is rescaled before each new sample is added so H stays well scaled.
/// </summary>
internal sealed class HessianCapture : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> _inner;
    private int _samples;

    public HessianCapture(nn.Module<Tensor, Tensor> inner, long inFeatures) : base(nameof(HessianCapture))
    {
        _inner = inner;
        Hessian = zeros([inFeatures, inFeatures], ScalarType.Float32);
    }

    /// <summary>The layer this capture wraps; put it back when done.</summary>
    public nn.Module<Tensor, Tensor> Inner => _inner;

    /// <summary>H [in, in], float32.</summary>
    public Tensor Hessian { get; }

    public int Samples => _samples;

    public override Tensor forward(Tensor input)
    {
        using (NewDisposeScope())
        using (no_grad())
        {
            var batch = input.dim() == 3 ? (int)input.shape[0] : 1;
            var x = input.reshape(-1, input.shape[^1]).to(ScalarType.Float32, CPU);
            // Explicit scalars held to the end of the statement's scope (see GroupQuantizer's remark).
            using var keep = ((double)_samples / (_samples + batch)).ToScalar();
            Hessian.mul_(keep);
            _samples += batch;
            using var factor = Math.Sqrt(2.0 / _samples).ToScalar();
            x = x.mul(factor);
            Hessian.add_(x.t().matmul(x));
        }
        return _inner.call(input);
    }

    protected override void RegisterComponents() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            Hessian.Dispose();
        base.Dispose(disposing);
    }
}
