namespace Kefu.Export.Gguf;

/// <summary>
/// The helpers ggml-quants.c's k-quant reference quantizers share, with the same float32 operations in the same
/// order (each product and sum rounded to float32 as C does without contraction), so Kefu's bytes equal llama.cpp's:
/// <c>nearest_int</c>, the scale-and-min search <c>make_qkx2_quants</c> (Q4_K) and the symmetric scale search
/// <c>make_qx_quants</c> with weights x² (Q6_K).
/// </summary>
internal static class KQuantMath
{
    /// <summary>ggml's GROUP_MAX_EPS: a group whose largest magnitude is below this is treated as all zero.</summary>
    public const float GroupMaxEps = 1e-15f;

    /// <summary>
    /// ggml's nearest_int: adding 1.5·2²³ leaves round-to-nearest-even of the value in the low mantissa bits.
    /// Only exact for |x| ≤ 2²² − 1 (ggml merely asserts that in debug builds); reproduced bit for bit anyway.
    /// </summary>
    public static int NearestInt(float value)
    {
        var shifted = value + 12582912f;
        return (BitConverter.SingleToInt32Bits(shifted) & 0x007fffff) - 0x00400000;
    }

    /// <summary>An IEEE half round trip (round to nearest even), as GGML_FP32_TO_FP16 then GGML_FP16_TO_FP32.</summary>
    public static float ThroughHalf(float value) => (float)(Half)value;

    /// <summary>
    /// make_qkx2_quants: codes 0..<paramref name="nmax"/> for x ≈ scale·L − theMin, first from the plain min/max range,
    /// then trying <paramref name="steps"/>+1 slightly different ranges and keeping the weighted least-squares fit
    /// with the smallest weighted squared error. Returns the scale; <paramref name="theMin"/> gets the (non-negative) offset.
    /// </summary>
    public static float MakeQkx2Quants(int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> levels, out float theMin,
        Span<byte> scratch, float rmin, float rdelta, int steps) =>
        FitScaleAndMin(nmax, x, weights, levels, out theMin, scratch, rmin, rdelta, steps, qkx3: false);

    /// <summary>
    /// make_qkx3_quants (use_mad false), which ggml runs only with an importance matrix: the same search as
    /// <see cref="MakeQkx2Quants"/>, but a range with max ≤ min counts as degenerate and each trial value is clamped to
    /// nmax before rounding (ggml's two functions differ only there).
    /// </summary>
    public static float MakeQkx3Quants(int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> levels, out float theMin,
        Span<byte> scratch, float rmin, float rdelta, int steps) =>
        FitScaleAndMin(nmax, x, weights, levels, out theMin, scratch, rmin, rdelta, steps, qkx3: true);

    private static float FitScaleAndMin(int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> levels, out float theMin,
        Span<byte> scratch, float rmin, float rdelta, int steps, bool qkx3)
    {
        var n = x.Length;
        var min = x[0];
        var max = x[0];
        var sumW = weights[0];
        var sumX = sumW * x[0];
        for (var i = 1; i < n; i++)
        {
            if (x[i] < min)
                min = x[i];
            if (x[i] > max)
                max = x[i];
            var w = weights[i];
            sumW += w;
            sumX += w * x[i];
        }
        if (min > 0)
            min = 0;
        if (qkx3 ? max <= min : max == min)
        {
            levels[..n].Clear();
            theMin = -min;
            return 0f;
        }
        var iscale = nmax / (max - min);
        var scale = 1 / iscale;
        var bestError = 0f;
        for (var i = 0; i < n; i++)
        {
            var l = NearestInt(iscale * (x[i] - min));
            levels[i] = (byte)Math.Max(0, Math.Min(nmax, l));
            var diff = scale * levels[i] + min - x[i];
            bestError += weights[i] * (diff * diff);
        }
        if (steps < 1)
        {
            theMin = -min;
            return scale;
        }
        for (var step = 0; step <= steps; step++)
        {
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (var i = 0; i < n; i++)
            {
                int l;
                if (qkx3)
                {
                    // min is the best fit so far, possibly close to max: clamp before rounding as ggml does (v can be huge).
                    var v = iscale * (x[i] - min);
                    l = v > 0 ? NearestInt(v < nmax ? v : nmax) : 0;
                }
                else
                {
                    l = Math.Max(0, Math.Min(nmax, NearestInt(iscale * (x[i] - min))));
                }
                scratch[i] = (byte)l;
                var w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[i];
            }
            var determinant = sumW * sumL2 - sumL * sumL;
            if (determinant > 0)
            {
                var thisScale = (sumW * sumXL - sumX * sumL) / determinant;
                var thisMin = (sumL2 * sumX - sumL * sumXL) / determinant;
                if (thisMin > 0)
                {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                var error = 0f;
                for (var i = 0; i < n; i++)
                {
                    var diff = thisScale * scratch[i] + thisMin - x[i];
                    error += weights[i] * (diff * diff);
                }
                if (error < bestError)
                {
                    scratch[..n].CopyTo(levels);
                    bestError = error;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin = -min;
        return scale;
    }

    /// <summary>
    /// make_qx_quants with rmse_type 1: symmetric codes −nmax..nmax−1 stored as 0..2·nmax−1, the scale fitted by
    /// weighted least squares over 19 candidate inverse scales around −nmax/max. The weights are
    /// <paramref name="weights"/> when given (ggml's quant_weights: the importance-matrix paths), else x².
    /// </summary>
    public static float MakeQxQuants(int nmax, ReadOnlySpan<float> x, Span<sbyte> levels, ReadOnlySpan<float> weights = default)
    {
        var weighted = !weights.IsEmpty;
        var n = x.Length;
        var max = 0f;
        var amax = 0f;
        for (var i = 0; i < n; i++)
        {
            var ax = MathF.Abs(x[i]);
            if (ax > amax)
            {
                amax = ax;
                max = x[i];
            }
        }
        if (amax < GroupMaxEps)
        {
            levels[..n].Clear();
            return 0f;
        }
        var iscale = -nmax / max;
        var sumLX = 0f;
        var sumL2 = 0f;
        for (var i = 0; i < n; i++)
        {
            var l = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i])));
            levels[i] = (sbyte)(l + nmax);
            var w = weighted ? weights[i] : x[i] * x[i];
            sumLX += w * x[i] * l;
            sumL2 += w * l * l;
        }
        var scale = sumL2 != 0 ? sumLX / sumL2 : 0f;
        var best = scale * sumLX;
        for (var step = -9; step <= 9; step++)
        {
            if (step == 0)
                continue;
            iscale = -(nmax + 0.1f * step) / max;
            sumLX = sumL2 = 0;
            for (var i = 0; i < n; i++)
            {
                var l = Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i])));
                var w = weighted ? weights[i] : x[i] * x[i];
                sumLX += w * x[i] * l;
                sumL2 += w * l * l;
            }
            if (sumL2 > 0 && sumLX * sumLX > best * sumL2)
            {
                for (var i = 0; i < n; i++)
                    levels[i] = (sbyte)(nmax + Math.Max(-nmax, Math.Min(nmax - 1, NearestInt(iscale * x[i]))));
                scale = sumLX / sumL2;
                best = scale * sumLX;
            }
        }
        return scale;
    }
}
