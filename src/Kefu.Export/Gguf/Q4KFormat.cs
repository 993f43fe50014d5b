using System.Buffers.Binary;

namespace Kefu.Export.Gguf;

/// <summary>
/// ggml's Q4_K (block_q4_K, 144 bytes per 256 values): fp16 d, fp16 dmin, 12 bytes holding eight 6-bit sub-block
/// scales and eight 6-bit mins, then 128 bytes of 4-bit codes; value = d·scale_j·q − dmin·min_j for each 32-value
/// sub-block j. Quantized as quantize_row_q4_K_ref (no importance matrix), which llama-quantize runs for Q4_K_M, or as
/// quantize_row_q4_K_impl with an importance matrix (llama-quantize --imatrix).
/// </summary>
internal static class Q4KFormat
{
    public const int BlockValues = 256;
    public const int BlockBytes = 144;
    private const int SubBlock = 32;

    public static void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> levels = stackalloc byte[BlockValues];
        Span<byte> scratch = stackalloc byte[SubBlock];
        Span<float> weights = stackalloc float[SubBlock];
        Span<float> mins = stackalloc float[BlockValues / SubBlock];
        Span<float> scales = stackalloc float[BlockValues / SubBlock];
        var maxScale = 0f; // the min is subtracted, so the scales are never negative
        var maxMin = 0f;
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var sub = x.Slice(j * SubBlock, SubBlock);
            var sumX2 = 0f;
            foreach (var v in sub)
                sumX2 += v * v;
            // Weight each value by the sub-block's RMS plus its own magnitude: large values matter more.
            var averageX = MathF.Sqrt(sumX2 / SubBlock);
            for (var l = 0; l < SubBlock; l++)
                weights[l] = averageX + MathF.Abs(sub[l]);
            scales[j] = KQuantMath.MakeQkx2Quants(15, sub, weights, levels.Slice(j * SubBlock, SubBlock), out mins[j], scratch, -1f, 0.1f, 20);
            if (scales[j] > maxScale)
                maxScale = scales[j];
            if (mins[j] > maxMin)
                maxMin = mins[j];
        }

        var inverseScale = maxScale > 0 ? 63f / maxScale : 0f;
        var inverseMin = maxMin > 0 ? 63f / maxMin : 0f;
        Span<byte> storedScales = stackalloc byte[BlockValues / SubBlock];
        Span<byte> storedMins = stackalloc byte[BlockValues / SubBlock];
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            // C stores nearest_int into a uint8_t before clamping; the same wrap-around is kept here.
            storedScales[j] = Math.Min((byte)63, unchecked((byte)KQuantMath.NearestInt(inverseScale * scales[j])));
            storedMins[j] = Math.Min((byte)63, unchecked((byte)KQuantMath.NearestInt(inverseMin * mins[j])));
        }
        Write(x, storedScales, storedMins, (Half)(maxScale / 63f), (Half)(maxMin / 63f), levels, block);
    }

    /// <summary>
    /// quantize_row_q4_K_impl with quant_weights: each value weighted by its importance times √(σ² + x²) (σ² twice the
    /// super-block's mean square), sub-blocks fitted by make_qkx3_quants, and the 6-bit scales and mins by
    /// make_qp_quants weighted by each sub-block's total weight. <paramref name="importance"/> holds the block's 256.
    /// </summary>
    public static void QuantizeBlock(ReadOnlySpan<float> x, ReadOnlySpan<float> importance, Span<byte> block)
    {
        Span<byte> levels = stackalloc byte[BlockValues];
        Span<byte> scratch = stackalloc byte[SubBlock];
        Span<float> weights = stackalloc float[SubBlock];
        Span<float> subBlockWeights = stackalloc float[BlockValues / SubBlock];
        Span<float> mins = stackalloc float[BlockValues / SubBlock];
        Span<float> scales = stackalloc float[BlockValues / SubBlock];
        var sumX2 = 0f;
        for (var l = 0; l < BlockValues; l++)
            sumX2 += x[l] * x[l];
        var sigma2 = 2 * sumX2 / BlockValues;
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var sub = x.Slice(j * SubBlock, SubBlock);
            var qw = importance.Slice(j * SubBlock, SubBlock);
            var sumW = 0f;
            for (var l = 0; l < SubBlock; l++)
            {
                weights[l] = qw[l] * MathF.Sqrt(sigma2 + sub[l] * sub[l]);
                sumW += weights[l];
            }
            subBlockWeights[j] = sumW;
            scales[j] = KQuantMath.MakeQkx3Quants(15, sub, weights, levels.Slice(j * SubBlock, SubBlock), out mins[j], scratch, -0.9f, 0.05f, 36);
        }
        Span<byte> storedScales = stackalloc byte[BlockValues / SubBlock];
        Span<byte> storedMins = stackalloc byte[BlockValues / SubBlock];
        var d = ImportanceKQuantMath.MakeQpQuants(63, scales, storedScales, subBlockWeights);
        var dmin = ImportanceKQuantMath.MakeQpQuants(63, mins, storedMins, subBlockWeights);
        Write(x, storedScales, storedMins, (Half)d, (Half)dmin, levels, block);
    }

    /// <summary>Packs the 6-bit scales and mins, stores d and dmin, re-quantizes against them and packs the codes.</summary>
    private static void Write(ReadOnlySpan<float> x, ReadOnlySpan<byte> storedScales, ReadOnlySpan<byte> storedMins, Half d, Half dmin,
        Span<byte> levels, Span<byte> block)
    {
        var packed = block.Slice(4, 12);
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var ls = storedScales[j];
            var lm = storedMins[j];
            if (j < 4)
            {
                packed[j] = ls;
                packed[j + 4] = lm;
            }
            else
            {
                packed[j + 4] = (byte)((ls & 0xF) | ((lm & 0xF) << 4));
                packed[j - 4] |= unchecked((byte)((ls >> 4) << 6));
                packed[j] |= unchecked((byte)((lm >> 4) << 6));
            }
        }
        BinaryPrimitives.WriteHalfLittleEndian(block, d);
        BinaryPrimitives.WriteHalfLittleEndian(block[2..], dmin);

        // Re-quantize against the scales as stored (6-bit, fp16), which is what the dequantizer will use.
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var (scale, min) = ScaleAndMin(j, packed);
            var dj = (float)d * scale;
            if (dj == 0)
                continue;
            var mj = (float)dmin * min;
            for (var i = 0; i < SubBlock; i++)
                levels[j * SubBlock + i] = (byte)Math.Max(0, Math.Min(15, KQuantMath.NearestInt((x[j * SubBlock + i] + mj) / dj)));
        }

        // Each 32 bytes of codes hold two sub-blocks: the first in the low nibbles, the next in the high ones.
        var codes = block[16..];
        for (var j = 0; j < BlockValues; j += 64)
        {
            for (var l = 0; l < 32; l++)
                codes[j / 2 + l] = (byte)(levels[j + l] | (levels[j + l + 32] << 4));
        }
    }

    public static void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
        var dmin = (float)BinaryPrimitives.ReadHalfLittleEndian(block[2..]);
        var packed = block.Slice(4, 12);
        var codes = block[16..];
        for (var j = 0; j < BlockValues / 64; j++)
        {
            var (scale1, min1) = ScaleAndMin(2 * j, packed);
            var (scale2, min2) = ScaleAndMin(2 * j + 1, packed);
            float d1 = d * scale1, m1 = dmin * min1, d2 = d * scale2, m2 = dmin * min2;
            for (var l = 0; l < 32; l++)
            {
                var q = codes[j * 32 + l];
                y[j * 64 + l] = d1 * (q & 0xF) - m1;
                y[j * 64 + 32 + l] = d2 * (q >> 4) - m2;
            }
        }
    }

    /// <summary>get_scale_min_k4: sub-blocks 0–3 keep 6 bits in bytes 0–7; 4–7 split theirs into a nibble in bytes 8–11 and the top 2 bits of bytes 0–7.</summary>
    private static (byte Scale, byte Min) ScaleAndMin(int j, ReadOnlySpan<byte> packed) => j < 4
        ? ((byte)(packed[j] & 63), (byte)(packed[j + 4] & 63))
        : ((byte)((packed[j + 4] & 0xF) | ((packed[j - 4] >> 6) << 4)), (byte)((packed[j + 4] >> 4) | ((packed[j] >> 6) << 4)));
}
