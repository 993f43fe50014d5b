using Kefu.Model.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Lora;

/// <summary>
/// A linear layer with a low-rank update, as PEFT's lora.Linear: y = base(x) + B·A·dropout(x) · scaling, with A [r, in]
/// Kaiming-uniform and B [out, r] zero, so a fresh adapter leaves the model unchanged. The base layer is frozen; only
/// A and B train, kept in float32 whatever the base type (PEFT's autocast_adapter_dtype) so bfloat16 training still
/// accumulates small updates. Registered under the base's name, with the base as <c>base_layer</c>.
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> base_layer;
    private readonly LoraDropout _dropout;

    public LoraLinear(nn.Module<Tensor, Tensor> baseLayer, int rank, double scaling, LoraDropout dropout, Generator initGenerator) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        ArgumentNullException.ThrowIfNull(dropout);
        if (baseLayer is not DenseLinear dense)
            throw new ArgumentException($"LoRA wraps dense linear layers; got {baseLayer.GetType().Name}.", nameof(baseLayer));
        base_layer = baseLayer;
        _dropout = dropout;
        Rank = rank;
        Scaling = scaling;
        var device = dense.weight.device;
        // float64 bases (gradient checks) keep float64 adapters; everything else trains its adapter in float32.
        var adapterType = dense.weight.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        // kaiming_uniform_(a=√5) as PEFT and nn.Linear: bound = √(6 / ((1 + a²)·fan_in)) = 1/√fan_in.
        var bound = 1.0 / Math.Sqrt(dense.InFeatures);
        using (no_grad())
        {
            using var a = rand([rank, dense.InFeatures], ScalarType.Float32, generator: initGenerator) * (2 * bound) - bound;
            lora_A = new Parameter(a.to(adapterType, device), requires_grad: true);
            lora_B = new Parameter(zeros([dense.OutFeatures, rank], adapterType, device), requires_grad: true);
        }
        register_module(nameof(base_layer), base_layer);
        register_parameter(nameof(lora_A), lora_A);
        register_parameter(nameof(lora_B), lora_B);
    }

    public DenseLinear BaseLayer => (DenseLinear)base_layer;

    public int Rank { get; }

    public double Scaling { get; }

    /// <summary>A [r, in], float32 (float64 on a float64 base).</summary>
    public Parameter lora_A { get; }

    /// <summary>B [out, r], float32 (float64 on a float64 base).</summary>
    public Parameter lora_B { get; }

    /// <summary>True once B·A·scaling has been added into the base weight (the update then costs nothing).</summary>
    public bool Merged { get; private set; }

    public override Tensor forward(Tensor input)
    {
        var result = base_layer.call(input);
        if (Merged)
            return result;
        using var scope = NewDisposeScope();
        var x = training ? _dropout.Apply(input) : input;
        var update = nn.functional.linear(nn.functional.linear(x.to(lora_A.dtype), lora_A), lora_B) * Scaling;
        return (result + update.to(result.dtype)).MoveToOuterDisposeScope();
    }

    /// <summary>ΔW = B·A·scaling [out, in], computed in float32.</summary>
    public Tensor Delta()
    {
        using var noGrad = no_grad();
        return LoraMath.Delta(lora_A, lora_B, Scaling);
    }

    /// <summary>Adds ΔW into the base weight (in float32, then cast back to the base type).</summary>
    public void Merge()
    {
        if (Merged)
            return;
        LoraMath.AddInto(BaseLayer.weight, lora_A, lora_B, Scaling, sign: 1);
        Merged = true;
    }

    /// <summary>Takes ΔW back out of the base weight (exact in float32; a bfloat16 base keeps a rounding residue).</summary>
    public void Unmerge()
    {
        if (!Merged)
            return;
        LoraMath.AddInto(BaseLayer.weight, lora_A, lora_B, Scaling, sign: -1);
        Merged = false;
    }

    protected override void RegisterComponents() { }
}
