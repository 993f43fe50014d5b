namespace Kefu.Export.Gguf;

/// <summary>
/// The searches ggml-quants.c runs only when an importance matrix is given (quantize_row_q4_K_impl and friends), with
/// the same float32 operations in the same order as <see cref="KQuantMath"/>: <c>make_qkx3_quants</c> (a finer,
/// 37-step version of make_qkx2_quants) and <c>make_qp_quants</c> (the weighted fit of a super-block's 6-bit
/// sub-block scales and mins, weighted by each sub-block's total importance).
/// </summary>
internal static class ImportanceKQuantMath
{
    /// <summary>
    /// make_qkx3_quants (use_mad false): codes 0..<paramref name="nmax"/> for x ≈ scale·L − theMin fitted by weighted
    /// least squares over <paramref name="steps"/>+1 candidate ranges. Returns the scale; <paramref name="theMin"/> gets
    /// the (non-negative) offset.
    /// </summary>
    public static float MakeQkx3Quants(int nmax, ReadOnlySpan<float> x, ReadOnlySpan<float> weights, Span<byte> levels, out float theMin,
        Span<byte> scratch, float rmin, float rdelta, int steps)
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
        if (max <= min)
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
            var l = KQuantMath.NearestInt(iscale * (x[i] - min));
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
            // min is the best fit so far, possibly close to max: clamp before rounding as ggml does (v can be huge).
            iscale = (rmin + rdelta * step + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (var i = 0; i < n; i++)
            {
                var v = iscale * (x[i] - min);
                var l = v > 0 ? KQuantMath.NearestInt(v < nmax ? v : nmax) : 0;
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
    /// make_qp_quants: non-negative codes 0..<paramref name="nmax"/> for non-negative x ≈ scale·L, the inverse scale
    /// picked among nine around nmax/max by weighted squared error, then up to five rounds of moving single codes
    /// while that improves the weighted least-squares fit. Returns the scale. Codes are uint8 as in C (wrapping).
    /// </summary>
    public static float MakeQpQuants(int nmax, ReadOnlySpan<float> x, Span<byte> levels, ReadOnlySpan<float> weights)
    {
        var n = x.Length;
        var max = 0f;
        for (var i = 0; i < n; i++)
            max = max > x[i] ? max : x[i];
        if (max < KQuantMath.GroupMaxEps)
        {
            levels[..n].Clear();
            return 0f;
        }
        var iscale = nmax / max;
        for (var i = 0; i < n; i++)
            levels[i] = unchecked((byte)KQuantMath.NearestInt(iscale * x[i]));
        var scale = 1 / iscale;
        var bestError = 0f;
        for (var i = 0; i < n; i++)
        {
            var diff = x[i] - scale * levels[i];
            bestError += weights[i] * diff * diff;
        }
        for (var step = -4; step <= 4; step++)
        {
            if (step == 0)
                continue;
            var candidate = (0.1f * step + nmax) / max;
            var candidateScale = 1 / candidate;
            var error = 0f;
            for (var i = 0; i < n; i++)
            {
                var l = Math.Min(nmax, KQuantMath.NearestInt(candidate * x[i]));
                var diff = x[i] - candidateScale * l;
                error += weights[i] * diff * diff;
            }
            if (error < bestError)
            {
                bestError = error;
                iscale = candidate;
            }
        }
        float sumLX = 0, sumL2 = 0;
        for (var i = 0; i < n; i++)
        {
            var l = Math.Min(nmax, KQuantMath.NearestInt(iscale * x[i]));
            levels[i] = unchecked((byte)l);
            var w = weights[i];
            sumLX += w * x[i] * l;
            sumL2 += w * l * l;
        }
        for (var round = 0; round < 5; round++)
        {
            var changed = 0;
            for (var i = 0; i < n; i++)
            {
                var w = weights[i];
                var slx = sumLX - w * x[i] * levels[i];
                var sl2 = sumL2 - w * levels[i] * levels[i];
                if (slx > 0 && sl2 > 0)
                {
                    var newL = Math.Min(nmax, KQuantMath.NearestInt(x[i] * sl2 / slx));
                    if (newL != levels[i])
                    {
                        slx += w * x[i] * newL;
                        sl2 += w * newL * newL;
                        if (slx * slx * sumL2 > sumLX * sumLX * sl2)
                        {
                            levels[i] = unchecked((byte)newL);
                            sumLX = slx;
                            sumL2 = sl2;
                            changed++;
                        }
                    }
                }
            }
            if (changed == 0)
                break;
        }
        return sumL2 > 0 ? sumLX / sumL2 : 0f;
    }
}
