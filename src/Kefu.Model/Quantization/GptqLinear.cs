using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Quantization;

/// <summary>
/// A 4-bit GPTQ linear layer holding the checkpoint's tensors as stored (qweight int32 [in/8, out], qzeros int32
/// [groups, out/8], scales fp16 [groups, out], g_idx int32 [in], optional bias), so the weights take half a byte
/// each in memory. Each call dequantises W = scales[g_idx] · (q − zero[g_idx]) into the model's type for the
/// duration of the product only: one layer's dense weight exists at a time, never the model's.
/// </summary>
public sealed class GptqLinear : nn.Module<Tensor, Tensor>
{
    private readonly int _zeroOffset;

    public GptqLinear(long inFeatures, long outFeatures, long groups, bool hasBias, ScalarType computeType, Device device, int zeroOffset = 1)
        : base(nameof(GptqLinear))
    {
        if (inFeatures % GptqPacking.CodesPerInt != 0 || outFeatures % GptqPacking.CodesPerInt != 0)
            throw new ArgumentException($"GPTQ 4-bit layers need in and out features divisible by 8; got in {inFeatures}, out {outFeatures}.");
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        ComputeType = computeType;
        _zeroOffset = zeroOffset;
        qweight = zeros([inFeatures / GptqPacking.CodesPerInt, outFeatures], ScalarType.Int32, device);
        qzeros = zeros([groups, outFeatures / GptqPacking.CodesPerInt], ScalarType.Int32, device);
        scales = zeros([groups, outFeatures], ScalarType.Float16, device);
        g_idx = zeros([inFeatures], ScalarType.Int32, device);
        // Buffers, not parameters: they never train, and the float checkpoint loader only sees real parameters.
        register_buffer(nameof(qweight), qweight);
        register_buffer(nameof(qzeros), qzeros);
        register_buffer(nameof(scales), scales);
        register_buffer(nameof(g_idx), g_idx);
        if (hasBias)
        {
            bias = zeros([outFeatures], computeType, device);
            register_buffer(nameof(bias), bias);
        }
    }

    public long InFeatures { get; }

    public long OutFeatures { get; }

    /// <summary>The type weights are dequantised to (the model's type).</summary>
    public ScalarType ComputeType { get; }

    public Tensor qweight { get; }

    public Tensor qzeros { get; }

    public Tensor scales { get; }

    public Tensor g_idx { get; }

    public Tensor? bias { get; }

    /// <summary>Bytes this layer keeps in memory.</summary>
    public long StoredBytes => new[] { qweight, qzeros, scales, g_idx, bias }.Where(t => t is not null).Sum(t => t!.NumberOfElements * t.ElementSize);

    public override Tensor forward(Tensor input)
    {
        // Decoding (a few rows): the packed kernel reads the int4 weights directly.
        if (DecodeGroupSize() is { } groupSize && Int4DecodeGemv.CanRun(input, this, groupSize))
        {
            var (groupScales, scaledZeros) = KernelTables();
            return Int4DecodeGemv.Apply(input, this, groupScales, scaledZeros, groupSize);
        }
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (DecodeGroupSize() is { } natural && InFeatures % natural == 0)
        {
            // Prefill (many rows): one dense weight per call, made in as few passes over it as possible.
            var inputMajor = DequantizeInputMajor(natural, input.dtype);
            var product = input.matmul(inputMajor);
            return (bias is null ? product : product.add_(bias.to(product.dtype))).MoveToOuterDisposeScope();
        }
        var weight = Dequantize();
        return DenseLinear.Apply(input, weight, bias).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// W as [in, out] in <paramref name="type"/> for groups in natural order: codes viewed as [groups, group size, out]
    /// take the cached per-group scale and scale·zero by broadcasting, so W = q·scale − scale·zero costs two in-place
    /// passes after the unpack — no [in, out] index_select of zeros and scales, and no transposed copy (the matmul
    /// reads [in, out] as it is). About half the passes over the weight of <see cref="Dequantize"/>.
    /// </summary>
    private Tensor DequantizeInputMajor(int groupSize, ScalarType type)
    {
        var (groupScales, scaledZeros) = KernelTables();
        var groups = groupScales.shape[0];
        var codes = GptqPacking.UnpackWeight(qweight).to(ScalarType.Float32).view(groups, groupSize, OutFeatures);
        var weight = codes.mul_(groupScales.unsqueeze(1)).sub_(scaledZeros.unsqueeze(1)).view(InFeatures, OutFeatures);
        return type == ScalarType.Float32 ? weight : weight.to(type);
    }

    private int? _decodeGroupSize;
    private bool _decodeChecked;
    private Tensor? _kernelScales;
    private Tensor? _kernelScaledZeros;

    /// <summary>The group size when g_idx is the natural i / group size (no act-order), else null (the dense path runs).</summary>
    private int? DecodeGroupSize()
    {
        if (_decodeChecked)
            return _decodeGroupSize;
        _decodeChecked = true;
        using var scope = NewDisposeScope();
        var groups = scales.shape[0];
        var groupSize = (InFeatures + groups - 1) / groups;
        var natural = arange(0, InFeatures, 1, ScalarType.Int64, g_idx.device).div(groupSize, rounding_mode: RoundingMode.floor);
        _decodeGroupSize = natural.eq(g_idx.to(ScalarType.Int64)).all().item<bool>() ? (int)groupSize : null;
        return _decodeGroupSize;
    }

    /// <summary>float32 scales and scale·zero [groups, out], made once (1/16 byte per weight at group size 128).</summary>
    private (Tensor Scales, Tensor ScaledZeros) KernelTables()
    {
        if (_kernelScales is null || _kernelScaledZeros is null)
        {
            using var scope = NewDisposeScope();
            var groupScales = scales.to(ScalarType.Float32).contiguous();
            var zerosPerGroup = GptqPacking.UnpackZeros(qzeros, _zeroOffset).to(ScalarType.Float32);
            // Cached for the layer's lifetime: out of every dispose scope, or the caller's scope would free them.
            _kernelScaledZeros = (groupScales * zerosPerGroup).contiguous().DetachFromDisposeScope();
            _kernelScales = groupScales.DetachFromDisposeScope();
        }
        return (_kernelScales, _kernelScaledZeros);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kernelScales?.Dispose();
            _kernelScaledZeros?.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>The dense weight [out, in] in <see cref="ComputeType"/>.</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        var codes = GptqPacking.UnpackWeight(qweight);                      // [in, out]
        var zerosPerGroup = GptqPacking.UnpackZeros(qzeros, _zeroOffset);  // [groups, out]
        var index = g_idx.to(ScalarType.Int64);
        var zero = zerosPerGroup.index_select(0, index);                   // [in, out]
        var scale = scales.index_select(0, index).to(ComputeType);
        var weight = (codes - zero).to(ComputeType).mul_(scale);
        return weight.t().contiguous().MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents() { }
}
