using Kefu.Model.Quantization;

namespace Kefu.Quantization;

/// <summary>How weights are quantized: 4-bit codes in groups of input columns, each group with its own scale and zero.</summary>
public sealed record QuantizationScheme
{
    /// <summary>Bits per weight; the packed checkpoint layout implemented here is 4-bit.</summary>
    public int Bits { get; init; } = 4;

    /// <summary>Input columns sharing one scale and zero point (-1: the whole row).</summary>
    public int GroupSize { get; init; } = 128;

    /// <summary>Symmetric: zero point fixed at 2^(bits−1); asymmetric: zero point from each group's min and max.</summary>
    public bool Symmetric { get; init; } = true;

    /// <summary>GPTQ act-order (desc_act): quantize columns in order of decreasing Hessian diagonal.</summary>
    public bool ActOrder { get; init; }

    /// <summary>Dampening added to the Hessian's diagonal, as a share of its mean (GPTQ's percdamp).</summary>
    public double DampPercent { get; init; } = 0.01;

    /// <summary>Columns per lazy-batch block of GPTQ.</summary>
    public int BlockSize { get; init; } = 128;

    /// <summary>Quantize q/k/v, then o, then gate/up, then down, each seeing the outputs of the already quantized ones.</summary>
    public bool TrueSequential { get; init; } = true;

    /// <summary>Largest code, 2^bits − 1.</summary>
    public int MaxCode => (1 << Bits) - 1;

    /// <summary>The group size for a layer of <paramref name="columns"/> input features.</summary>
    public int GroupSizeFor(long columns) => GroupSize <= 0 ? (int)columns : GroupSize;

    /// <summary>Throws for settings the quantizer or the checkpoint format cannot represent.</summary>
    public QuantizationScheme Validated()
    {
        if (Bits != 4)
            throw new ArgumentException($"Only 4-bit quantization is implemented (the GPTQ packed layout), got {Bits} bits.");
        if (GroupSize is not -1 and < 8)
            throw new ArgumentException($"Group size must be -1 or at least 8, got {GroupSize}.");
        if (DampPercent is <= 0 or >= 1)
            throw new ArgumentException($"Dampening must be in (0, 1), got {DampPercent}.");
        if (BlockSize < 1)
            throw new ArgumentException($"Block size must be positive, got {BlockSize}.");
        return this;
    }

    /// <summary>The quantize_config.json that describes checkpoints made with this scheme.</summary>
    public GptqQuantizeConfig ToQuantizeConfig(string? modelNameOrPath = null) => new()
    {
        Bits = Bits,
        GroupSize = GroupSize,
        DampPercent = DampPercent,
        DescAct = ActOrder,
        Sym = Symmetric,
        TrueSequential = TrueSequential,
        ModelNameOrPath = modelNameOrPath,
    };
}
