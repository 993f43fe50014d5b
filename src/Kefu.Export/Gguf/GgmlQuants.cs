using System.Buffers.Binary;

// Q4_0 and Q8_0 are ggml's own names for these formats; users meet them in llama.cpp and Ollama spelled so.
#pragma warning disable CA1707

namespace Kefu.Export.Gguf;

/// <summary>
/// ggml's reference block formats, bit for bit as ggml-quants.c: quantize_row_q8_0_ref (d = max|x|/127,
/// q = roundf(x/d)) and quantize_row_q4_0_ref (d = the signed value of largest magnitude / −8,
/// q = min(15, (int8)(x/d + 8.5)), low nibbles holding the block's first 16 values), with the same float32
/// arithmetic, so the bytes match llama.cpp's. Scales are IEEE half, rounded to nearest even as ggml's FP32→FP16.
/// Q5_0, Q4_K and Q6_K (the types of llama.cpp's Q4_K_M mix) live in <see cref="Q5_0Format"/>, <see cref="Q4KFormat"/>
/// and <see cref="Q6KFormat"/>, reached through <see cref="FromFloats"/> and <see cref="ToFloats"/>.
/// </summary>
public static class GgmlQuants
{
    public const int BlockSize = 32;

    /// <summary>Encodes float32 values as <paramref name="type"/>.</summary>
    public static byte[] FromFloats(ReadOnlySpan<float> values, GgmlType type) => type switch
    {
        GgmlType.F32 => F32(values),
        GgmlType.F16 => F16(values),
        GgmlType.BF16 => BF16(values),
        GgmlType.Q8_0 => QuantizeQ8_0(values),
        GgmlType.Q4_0 => QuantizeQ4_0(values),
        GgmlType.Q5_0 => GgmlBlocks.Quantize(values, type, Q5_0Format.QuantizeBlock),
        GgmlType.Q4_K => GgmlBlocks.Quantize(values, type, Q4KFormat.QuantizeBlock),
        GgmlType.Q6_K => GgmlBlocks.Quantize(values, type, Q6KFormat.QuantizeBlock),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Decodes bytes of <paramref name="type"/> into float32 values.</summary>
    public static float[] ToFloats(ReadOnlySpan<byte> bytes, GgmlType type)
    {
        switch (type)
        {
            case GgmlType.F32:
            {
                var values = new float[bytes.Length / 4];
                for (var i = 0; i < values.Length; i++)
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                return values;
            }
            case GgmlType.F16:
            {
                var values = new float[bytes.Length / 2];
                for (var i = 0; i < values.Length; i++)
                    values[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(bytes[(i * 2)..]);
                return values;
            }
            case GgmlType.BF16:
            {
                var values = new float[bytes.Length / 2];
                for (var i = 0; i < values.Length; i++)
                    values[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(bytes[(i * 2)..]) << 16);
                return values;
            }
            case GgmlType.Q8_0:
                return DequantizeQ8_0(bytes);
            case GgmlType.Q4_0:
                return DequantizeQ4_0(bytes);
            case GgmlType.Q5_0:
                return GgmlBlocks.Dequantize(bytes, type, Q5_0Format.DequantizeBlock);
            case GgmlType.Q4_K:
                return GgmlBlocks.Dequantize(bytes, type, Q4KFormat.DequantizeBlock);
            case GgmlType.Q6_K:
                return GgmlBlocks.Dequantize(bytes, type, Q6KFormat.DequantizeBlock);
            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    public static byte[] QuantizeQ8_0(ReadOnlySpan<float> x)
    {
        RequireBlocks(x.Length);
        var blocks = x.Length / BlockSize;
        var output = new byte[blocks * GgmlType.Q8_0.BlockBytes()];
        for (var i = 0; i < blocks; i++)
        {
            var block = x.Slice(i * BlockSize, BlockSize);
            var amax = 0.0f;
            foreach (var v in block)
                amax = MathF.Max(amax, MathF.Abs(v));
            var d = amax / ((1 << 7) - 1);
            var id = d != 0 ? 1.0f / d : 0.0f;
            var target = output.AsSpan(i * 34, 34);
            BinaryPrimitives.WriteHalfLittleEndian(target, (Half)d);
            for (var j = 0; j < BlockSize; j++)
                target[2 + j] = unchecked((byte)(sbyte)MathF.Round(block[j] * id, MidpointRounding.AwayFromZero));
        }
        return output;
    }

    public static byte[] QuantizeQ4_0(ReadOnlySpan<float> x)
    {
        RequireBlocks(x.Length);
        var blocks = x.Length / BlockSize;
        var output = new byte[blocks * GgmlType.Q4_0.BlockBytes()];
        for (var i = 0; i < blocks; i++)
        {
            var block = x.Slice(i * BlockSize, BlockSize);
            var amax = 0.0f;
            var max = 0.0f;
            foreach (var v in block)
            {
                if (amax < MathF.Abs(v))
                {
                    amax = MathF.Abs(v);
                    max = v;
                }
            }
            var d = max / -8;
            var id = d != 0 ? 1.0f / d : 0.0f;
            var target = output.AsSpan(i * 18, 18);
            BinaryPrimitives.WriteHalfLittleEndian(target, (Half)d);
            for (var j = 0; j < BlockSize / 2; j++)
            {
                var x0 = block[j] * id;
                var x1 = block[BlockSize / 2 + j] * id;
                // C's (int8_t) conversion truncates toward zero.
                var xi0 = Math.Min(15, (int)(sbyte)(int)(x0 + 8.5f));
                var xi1 = Math.Min(15, (int)(sbyte)(int)(x1 + 8.5f));
                target[2 + j] = (byte)(xi0 | (xi1 << 4));
            }
        }
        return output;
    }

    public static float[] DequantizeQ8_0(ReadOnlySpan<byte> bytes)
    {
        var blocks = bytes.Length / 34;
        var values = new float[blocks * BlockSize];
        for (var i = 0; i < blocks; i++)
        {
            var block = bytes.Slice(i * 34, 34);
            var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
            for (var j = 0; j < BlockSize; j++)
                values[i * BlockSize + j] = (sbyte)block[2 + j] * d;
        }
        return values;
    }

    public static float[] DequantizeQ4_0(ReadOnlySpan<byte> bytes)
    {
        var blocks = bytes.Length / 18;
        var values = new float[blocks * BlockSize];
        for (var i = 0; i < blocks; i++)
        {
            var block = bytes.Slice(i * 18, 18);
            var d = (float)BinaryPrimitives.ReadHalfLittleEndian(block);
            for (var j = 0; j < BlockSize / 2; j++)
            {
                values[i * BlockSize + j] = ((block[2 + j] & 0x0F) - 8) * d;
                values[i * BlockSize + BlockSize / 2 + j] = ((block[2 + j] >> 4) - 8) * d;
            }
        }
        return values;
    }

    private static byte[] F32(ReadOnlySpan<float> values)
    {
        var output = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(output.AsSpan(i * 4), values[i]);
        return output;
    }

    private static byte[] F16(ReadOnlySpan<float> values)
    {
        var output = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteHalfLittleEndian(output.AsSpan(i * 2), (Half)values[i]);
        return output;
    }

    private static byte[] BF16(ReadOnlySpan<float> values)
    {
        var output = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            // Round to nearest even on the upper 16 bits, as ggml's ggml_compute_fp32_to_bf16 (NaN kept quiet).
            var bits = (uint)BitConverter.SingleToInt32Bits(values[i]);
            var rounded = (bits & 0x7fffffff) > 0x7f800000 ? (bits >> 16) | 64 : (bits + (0x7fff + ((bits >> 16) & 1))) >> 16;
            BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(i * 2), (ushort)rounded);
        }
        return output;
    }

    private static void RequireBlocks(int length)
    {
        if (length % BlockSize != 0)
            throw new ArgumentException($"{length} values are not a whole number of {BlockSize}-value blocks.");
    }
}
