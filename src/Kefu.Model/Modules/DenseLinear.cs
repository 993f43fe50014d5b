using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// y = x Wᵀ + b with W stored [out, in] as in PyTorch's nn.Linear, so checkpoints load unchanged. Unlike
/// nn.Linear it allocates its parameters uninitialised: weights come from a checkpoint or an explicit initialiser,
/// and a 7B model is not filled with random numbers only to be overwritten.
/// </summary>
public sealed class DenseLinear : nn.Module<Tensor, Tensor>
{
    public DenseLinear(long inFeatures, long outFeatures, bool hasBias, ScalarType dtype, Device device) : base(nameof(DenseLinear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        weight = new Parameter(empty([outFeatures, inFeatures], dtype, device), requires_grad: false);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = new Parameter(empty([outFeatures], dtype, device), requires_grad: false);
            register_parameter("bias", bias);
        }
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    public Parameter weight { get; }

    public Parameter? bias { get; }

    public override Tensor forward(Tensor input) => Apply(input, weight, bias);

    /// <summary>x Wᵀ + b, by the fast decode kernel when it applies (<see cref="DecodeGemv"/>), else by libtorch.</summary>
    public static Tensor Apply(Tensor input, Tensor weight, Tensor? bias = null) =>
        DecodeGemv.CanRun(input, weight) ? DecodeGemv.Apply(input, weight, bias) : nn.functional.linear(input, weight, bias);

    // Parameters are registered explicitly above under their checkpoint names; no reflection over fields.
    protected override void RegisterComponents() { }
}
