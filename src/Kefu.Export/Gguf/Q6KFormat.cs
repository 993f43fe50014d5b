using System.Buffers.Binary;

namespace Kefu.Export.Gguf;

/// <summary>
/// ggml's Q6_K (block_q6_K, 210 bytes per 256 values): 128 bytes of low 4 bits, 64 bytes of high 2 bits, sixteen
/// int8 sub-block scales, then fp16 d; value = d·scale_j·(q − 32) for each 16-value sub-block j. Quantized as
/// quantize_row_q6_K_ref (no importance matrix), which llama-quantize runs for the Q6_K tensors of Q4_K_M, or as
/// quantize_row_q6_K_impl with one.
/// </summary>
internal static class Q6KFormat
{
    public const int BlockValues = 256;
    public const int BlockBytes = 210;
    private const int SubBlock = 16;
    private const int HighBitsOffset = 128;
    private const int ScalesOffset = 192;
    private const int ScaleOffset = 208;

    public static void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block) => QuantizeBlock(x, default, block);

    /// <summary>
    /// quantize_row_q6_K_impl: with <paramref name="importance"/> (the block's 256 importance values) each 16-value
    /// sub-block's scale search weights values by their importance alone; empty, it is quantize_row_q6_K_ref (x²).
    /// </summary>
    public static void QuantizeBlock(ReadOnlySpan<float> x, ReadOnlySpan<float> importance, Span<byte> block)
    {
        Span<sbyte> levels = stackalloc sbyte[BlockValues];
        Span<float> scales = stackalloc float[BlockValues / SubBlock];
        var maxScale = 0f;
        var maxAbsScale = 0f;
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var weights = importance.IsEmpty ? default : importance.Slice(j * SubBlock, SubBlock);
            scales[j] = KQuantMath.MakeQxQuants(32, x.Slice(j * SubBlock, SubBlock), levels.Slice(j * SubBlock, SubBlock), weights);
            var absScale = MathF.Abs(scales[j]);
            if (absScale > maxAbsScale)
            {
                maxAbsScale = absScale;
                maxScale = scales[j];
            }
        }
        if (maxAbsScale < KQuantMath.GroupMaxEps)
        {
            block[..BlockBytes].Clear(); // an all-zero block: codes, scales and d all zero
            return;
        }

        // The sub-block scale of largest magnitude maps to −128, so int8 scales use their full range.
        var iscale = -128f / maxScale;
        var d = (Half)(1 / iscale);
        BinaryPrimitives.WriteHalfLittleEndian(block[ScaleOffset..], d);
        var storedScales = block.Slice(ScalesOffset, BlockValues / SubBlock);
        for (var j = 0; j < BlockValues / SubBlock; j++)
            storedScales[j] = unchecked((byte)(sbyte)Math.Min(127, KQuantMath.NearestInt(iscale * scales[j])));

        // Re-quantize against the scales as stored, which is what the dequantizer will use.
        for (var j = 0; j < BlockValues / SubBlock; j++)
        {
            var dj = (float)d * (sbyte)storedScales[j];
            if (dj == 0)
                continue;
            for (var i = 0; i < SubBlock; i++)
                levels[j * SubBlock + i] = (sbyte)(Math.Max(-32, Math.Min(31, KQuantMath.NearestInt(x[j * SubBlock + i] / dj))) + 32);
        }

        // Per 128 values: 64 bytes of low nibbles (values l and l+64 share a byte, as do l+32 and l+96) and
        // 32 bytes with the four values' high 2 bits.
        for (var j = 0; j < BlockValues; j += 128)
        {
            var low = block.Slice(j / 2, 64);
            var high = block.Slice(HighBitsOffset + j / 4, 32);
            for (var l = 0; l < 32; l++)
            {
                int q1 = levels[j + l], q2 = levels[j + l + 32], q3 = levels[j + l + 64], q4 = levels[j + l + 96];
                low[l] = (byte)((q1 & 0xF) | ((q3 & 0xF) << 4));
                low[l + 32] = (byte)((q2 & 0xF) | ((q4 & 0xF) << 4));
                high[l] = (byte)((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }

    public static void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block[ScaleOffset..]);
        for (var n = 0; n < BlockValues; n += 128)
        {
            var low = block.Slice(n / 2, 64);
            var high = block.Slice(HighBitsOffset + n / 4, 32);
            var scales = block.Slice(ScalesOffset + n / 16, 8);
            for (var l = 0; l < 32; l++)
            {
                var s = l / 16;
                var q1 = ((low[l] & 0xF) | (((high[l] >> 0) & 3) << 4)) - 32;
                var q2 = ((low[l + 32] & 0xF) | (((high[l] >> 2) & 3) << 4)) - 32;
                var q3 = ((low[l] >> 4) | (((high[l] >> 4) & 3) << 4)) - 32;
                var q4 = ((low[l + 32] >> 4) | (((high[l] >> 6) & 3) << 4)) - 32;
                y[n + l] = d * (sbyte)scales[s] * q1;
                y[n + l + 32] = d * (sbyte)scales[s + 2] * q2;
                y[n + l + 64] = d * (sbyte)scales[s + 4] * q3;
                y[n + l + 96] = d * (sbyte)scales[s + 6] * q4;
            }
        }
    }
}
