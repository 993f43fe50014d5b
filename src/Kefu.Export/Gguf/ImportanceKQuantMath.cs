namespace Kefu.Export.Gguf;

/// <summary>
/// The searches ggml-quants.c runs only when an importance matrix is given (quantize_row_q4_K_impl and friends), with
/// the same float32 operations in the same order as <see cref="KQuantMath"/> (which also holds
/// <c>make_qkx3_quants</c>, a variant of its make_qkx2_quants): <c>make_qp_quants</c>, the weighted fit of a
/// super-block's 6-bit sub-block scales and mins, weighted by each sub-block's total importance.
/// </summary>
internal static class ImportanceKQuantMath
{
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
