using System.Numerics;
using System.Runtime.CompilerServices;

namespace Kefu.Quantization;

/// <summary>
/// One step of GPTQ's inner loop on a block held row-major in arrays: quantize column i of every row with its group's
/// scale and zero (round half to even, as torch.round), divide the rounding error by H⁻¹[i, i], and subtract
/// error · H⁻¹[i, i+1…] from the block's remaining columns. Float32 throughout, like the reference.
/// </summary>
internal static class GptqColumn
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Quantize(float[] block, float[] inverseHessian, float[] errors, float[] codes, int rows, int count, int i,
        float[] scales, float[] zeros, int maxCode)
    {
        var diagonal = inverseHessian[i * count + i];
        var tail = count - i - 1;
        var hRow = inverseHessian.AsSpan(i * count + i + 1, tail);
        for (var r = 0; r < rows; r++)
        {
            var at = r * count + i;
            var value = block[at];
            var code = Math.Clamp(MathF.Round(value / scales[r]) + zeros[r], 0, maxCode);
            var quantized = scales[r] * (code - zeros[r]);
            var error = (value - quantized) / diagonal;
            codes[at] = code;
            errors[at] = error;
            var rest = block.AsSpan(at + 1, tail);
            var j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                var e = new Vector<float>(error);
                for (; j + Vector<float>.Count <= tail; j += Vector<float>.Count)
                {
                    var updated = new Vector<float>(rest[j..]) - e * new Vector<float>(hRow[j..]);
                    updated.CopyTo(rest[j..]);
                }
            }
            for (; j < tail; j++)
                rest[j] -= error * hRow[j];
        }
    }
}
