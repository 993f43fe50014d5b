using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Root-mean-square norm, as Qwen2RMSNorm: compute in float32 whatever the model's type, cast back, then scale by
/// the learned weight: w · x / √(mean(x²) + ε).
/// </summary>
public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly double _eps;

    public RMSNorm(long hiddenSize, double eps, ScalarType dtype, Device device) : base(nameof(RMSNorm))
    {
        _eps = eps;
        weight = new Parameter(empty([hiddenSize], dtype, device), requires_grad: false);
        register_parameter("weight", weight);
    }

    public Parameter weight { get; }

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var x = input.to(ScalarType.Float32);
        var variance = x.pow(2).mean([-1], keepdim: true);
        x = x * rsqrt(variance + _eps);
        return (weight * x.to(input.dtype)).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents() { }
}
