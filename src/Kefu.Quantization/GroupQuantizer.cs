using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// Per-row scale and zero point of a block of columns, as GPTQ's reference Quantizer.find_params (weight=True):
/// the range always includes 0; symmetric ranges are ±max|w| with the zero point in the middle of the code range;
/// an all-zero row gets the range [−1, 1] so its scale is never 0.
/// </summary>
/// <remarks>
/// Scalars are created explicitly and held in <c>using</c> locals: an implicit temporary (<c>t.eq(0)</c>) may be
/// finalized by the GC while libtorch still reads it in an optimised build ("Unknown scalar type").
/// </remarks>
internal static class GroupQuantizer
{
    /// <summary>Scale and zero point [rows] (float32) for <paramref name="block"/> [rows, columns].</summary>
    public static (Tensor Scale, Tensor Zero) FindParams(Tensor block, QuantizationScheme scheme)
    {
        using var scope = NewDisposeScope();
        using var zeroScalar = 0.0.ToScalar();
        using var maxCode = ((double)scheme.MaxCode).ToScalar();
        var low = block.amin([1]).clamp_max(zeroScalar);
        var high = block.amax([1]).clamp_min(zeroScalar);
        if (scheme.Symmetric)
        {
            high = maximum(low.abs(), high);
            low = where(low.lt(zeroScalar), high.neg(), low);
        }
        var empty = low.eq(zeroScalar).logical_and(high.eq(zeroScalar));
        low = where(empty, ones_like(low).neg(), low);
        high = where(empty, ones_like(high), high);
        var scale = (high - low).div(maxCode);
        Tensor zero;
        if (scheme.Symmetric)
        {
            using var middle = ((scheme.MaxCode + 1) / 2.0).ToScalar();
            zero = full_like(scale, middle);
        }
        else
        {
            zero = low.neg().div(scale).round();
        }
        return (scale.MoveToOuterDisposeScope(), zero.MoveToOuterDisposeScope());
    }

    /// <summary>Codes clamp(round(w / scale) + zero, 0, maxCode) for columns <paramref name="w"/> [rows, …] with scale/zero [rows, 1].</summary>
    public static Tensor Codes(Tensor w, Tensor scale, Tensor zero, int maxCode)
    {
        using var scope = NewDisposeScope();
        using var lowest = 0.0.ToScalar();
        using var highest = ((double)maxCode).ToScalar();
        return w.div(scale).round().add(zero).clamp(lowest, highest).MoveToOuterDisposeScope();
    }
}
