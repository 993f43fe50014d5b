using System.Buffers.Binary;

// Q4_0 is ggml's own name for this format; users meet it in llama.cpp and Ollama spelled so.
#pragma warning disable CA1707

namespace Kefu.Export.Gguf;

/// <summary>
/// ggml's Q4_0 (block_q4_0, 18 bytes per 32 values: fp16 d, 16 bytes of nibbles, value = d·(q − 8)) quantized with an
/// importance matrix, as quantize_row_q4_0_impl with quant_weights. The plain reference path
/// (quantize_row_q4_0_ref) is <see cref="GgmlQuants.QuantizeQ4_0"/>.
/// </summary>
internal static class Q4_0Format
{
    private const int BlockValues = 32;
    private const int BlockBytes = 18;

    /// <summary>
    /// Per 32-value block, codes and scale from make_qx_quants (nmax 8) with weights importance·√(σ² + x²), σ² the
    /// whole row's mean square; low nibbles hold the block's first 16 values. <paramref name="importance"/> is the row's.
    /// </summary>
    public static void QuantizeRow(ReadOnlySpan<float> row, ReadOnlySpan<float> importance, Span<byte> output)
    {
        Span<float> weights = stackalloc float[BlockValues];
        Span<sbyte> levels = stackalloc sbyte[BlockValues];
        var sigma2 = Q5_0Format.MeanSquare(row);
        for (var b = 0; b < row.Length / BlockValues; b++)
        {
            var x = row.Slice(b * BlockValues, BlockValues);
            var qw = importance.Slice(b * BlockValues, BlockValues);
            for (var j = 0; j < BlockValues; j++)
                weights[j] = qw[j] * MathF.Sqrt(sigma2 + x[j] * x[j]);
            var d = KQuantMath.MakeQxQuants(8, x, levels, weights);
            var block = output.Slice(b * BlockBytes, BlockBytes);
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
            for (var j = 0; j < BlockValues / 2; j++)
                block[2 + j] = (byte)((byte)levels[j] | ((byte)levels[j + BlockValues / 2] << 4));
        }
    }
}
