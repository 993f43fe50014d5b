using System.Buffers.Binary;

namespace Kefu.Export.Gguf;

/// <summary>
/// ggml's Q5_0 (block_q5_0, 22 bytes per 32 values): fp16 d, a little-endian uint32 with each value's fifth bit,
/// 16 bytes of low nibbles (first 16 values low, last 16 high); value = d·(q − 16). Quantized as
/// quantize_row_q5_0_ref: d = the signed value of largest magnitude / −16, q = min(31, (int8)(x/d + 16.5)).
/// llama.cpp writes Q5_0 where a Q4_K tensor's rows are not whole 256-value blocks. With an importance matrix, see
/// <see cref="QuantizeRow"/>.
/// </summary>
internal static class Q5_0Format
{
    public const int BlockValues = 32;
    public const int BlockBytes = 22;

    public static void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        var amax = 0f;
        var max = 0f;
        foreach (var v in x[..BlockValues])
        {
            if (amax < MathF.Abs(v))
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }
        var d = max / -16;
        var id = d != 0 ? 1.0f / d : 0.0f;
        BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
        uint highBits = 0;
        for (var j = 0; j < BlockValues / 2; j++)
        {
            // C's (int8_t) conversion truncates toward zero.
            var q0 = Math.Min(31, (int)(sbyte)(int)(x[j] * id + 16.5f));
            var q1 = Math.Min(31, (int)(sbyte)(int)(x[BlockValues / 2 + j] * id + 16.5f));
            block[6 + j] = (byte)((q0 & 0x0F) | ((q1 & 0x0F) << 4));
            highBits |= (uint)((q0 & 0x10) >> 4) << j;
            highBits |= (uint)((q1 & 0x10) >> 4) << (j + BlockValues / 2);
        }
        BinaryPrimitives.WriteUInt32LittleEndian(block[2..], highBits);
    }

    /// <summary>
    /// quantize_row_q5_0_impl with quant_weights: per 32-value block, codes and scale from make_qx_quants (nmax 16)
    /// with weights importance·√(σ² + x²), σ² the whole row's mean square. <paramref name="importance"/> is the row's.
    /// </summary>
    public static void QuantizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> importance, Span<byte> output)
    {
        Span<float> weights = stackalloc float[BlockValues];
        Span<sbyte> levels = stackalloc sbyte[BlockValues];
        var sigma2 = MeanSquare(row);
        for (var b = 0; b < row.Length / BlockValues; b++)
        {
            var x = row.Slice(b * BlockValues, BlockValues);
            var qw = importance.Slice(b * BlockValues, BlockValues);
            for (var j = 0; j < BlockValues; j++)
                weights[j] = qw[j] * MathF.Sqrt(sigma2 + x[j] * x[j]);
            var d = KQuantMath.MakeQxQuants(16, x, levels, weights);
            var block = output.Slice(b * BlockBytes, BlockBytes);
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
            uint highBits = 0;
            for (var j = 0; j < BlockValues / 2; j++)
            {
                var q0 = (byte)levels[j];
                var q1 = (byte)levels[j + BlockValues / 2];
                block[6 + j] = (byte)((q0 & 0x0F) | ((q1 & 0x0F) << 4));
                highBits |= (uint)((q0 & 0x10) >> 4) << j;
                highBits |= (uint)((q1 & 0x10) >> 4) << (j + BlockValues / 2);
            }
            BinaryPrimitives.WriteUInt32LittleEndian(block[2..], highBits);
        }
    }

    /// <summary>σ² of the legacy-type imatrix paths: Σx² over the whole row (float32, in order) / row length.</summary>
    internal static float MeanSquare(ReadOnlySpan<float> row)
    {
        var sumX2 = 0f;
        foreach (var v in row)
            sumX2 += v * v;
        return sumX2 / row.Length;
    }

    public static void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
        var highBits = BinaryPrimitives.ReadUInt32LittleEndian(block[2..]);
        for (var j = 0; j < BlockValues / 2; j++)
        {
            var high0 = (int)((highBits >> j) << 4) & 0x10;
            var high1 = (int)(highBits >> (j + 12)) & 0x10;
            y[j] = (((block[6 + j] & 0x0F) | high0) - 16) * d;
            y[BlockValues / 2 + j] = (((block[6 + j] >> 4) | high1) - 16) * d;
        }
    }
}
