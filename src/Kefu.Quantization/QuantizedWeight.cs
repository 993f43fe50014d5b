using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// One linear layer's quantized weight in unpacked form: codes uint8 [out, in] (0…2^bits−1), per-group scales
/// float32 [out, groups] and zero points int32 [out, groups], and the group of each input column g_idx int32 [in]
/// (column i // group size, or a permutation of that with act-order). W ≈ scales[:, g] · (codes − zeros[:, g]).
/// </summary>
public sealed class QuantizedWeight : IDisposable
{
    public QuantizedWeight(Tensor codes, Tensor scales, Tensor zeros, Tensor groupIndex)
    {
        Codes = codes;
        Scales = scales;
        Zeros = zeros;
        GroupIndex = groupIndex;
    }

    public Tensor Codes { get; }

    public Tensor Scales { get; }

    public Tensor Zeros { get; }

    public Tensor GroupIndex { get; }

    public long OutFeatures => Codes.shape[0];

    public long InFeatures => Codes.shape[1];

    public long Groups => Scales.shape[1];

    /// <summary>The dequantised weight [out, in] in float32.</summary>
    public Tensor Dequantize()
    {
        using var scope = NewDisposeScope();
        var index = GroupIndex.to(ScalarType.Int64);
        var scale = Scales.index_select(1, index);
        var zero = Zeros.index_select(1, index);
        return ((Codes.to(ScalarType.Int32) - zero).to(ScalarType.Float32) * scale).MoveToOuterDisposeScope();
    }

    public void Dispose()
    {
        Codes.Dispose();
        Scales.Dispose();
        Zeros.Dispose();
        GroupIndex.Dispose();
    }
}
