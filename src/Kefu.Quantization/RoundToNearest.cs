using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>The RTN baseline: every group of input columns rounded to its nearest code, no error compensation.</summary>
public static class RoundToNearest
{
    /// <summary>Quantizes a weight [out, in]; its values are read as float32.</summary>
    public static QuantizedWeight Quantize(Tensor weight, QuantizationScheme scheme)
    {
        ArgumentNullException.ThrowIfNull(weight);
        ArgumentNullException.ThrowIfNull(scheme);
        scheme.Validated();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var w = weight.to(ScalarType.Float32, CPU);
        var columns = w.shape[1];
        var groupSize = scheme.GroupSizeFor(columns);
        var codes = new List<Tensor>();
        var scales = new List<Tensor>();
        var zeros = new List<Tensor>();
        for (long start = 0; start < columns; start += groupSize)
        {
            var block = w.narrow(1, start, Math.Min(groupSize, columns - start));
            var (scale, zero) = GroupQuantizer.FindParams(block, scheme);
            codes.Add(GroupQuantizer.Codes(block, scale.unsqueeze(1), zero.unsqueeze(1), scheme.MaxCode));
            scales.Add(scale);
            zeros.Add(zero);
        }
        var groupIndex = arange(0, columns, 1, ScalarType.Int64).div(groupSize, rounding_mode: RoundingMode.floor).to(ScalarType.Int32);
        return new QuantizedWeight(
            cat(codes, 1).to(ScalarType.Byte).MoveToOuterDisposeScope(),
            stack(scales, 1).MoveToOuterDisposeScope(),
            stack(zeros, 1).to(ScalarType.Int32).MoveToOuterDisposeScope(),
            groupIndex.MoveToOuterDisposeScope());
    }
}
