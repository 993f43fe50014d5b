using System.Runtime.InteropServices;

namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// ggml's own block quantizers and dequantizers (libggml-base of llama.cpp "v0.5.0"), as an independent reference
/// for Kefu's GGUF encoders. Types are GGML type numbers as in GGUF: F32 0, F16 1, Q4_0 2, Q5_0 6, Q8_0 8, Q4_K 12,
/// Q6_K 14, …
/// </summary>
public static class GgmlReference
{
    /// <summary>ggml's reference quantizer (ggml_quantize_chunk, no importance matrix) for values.Length / rowLength rows.</summary>
    public static byte[] Quantize(int ggmlType, ReadOnlySpan<float> values, int rowLength) => Quantize(ggmlType, values, rowLength, []);

    /// <summary>
    /// ggml_quantize_chunk with an importance matrix: <paramref name="importance"/> holds one value per column
    /// (rowLength of them), as llama-quantize passes an imatrix entry; empty means none (the reference path).
    /// </summary>
    public static unsafe byte[] Quantize(int ggmlType, ReadOnlySpan<float> values, int rowLength, ReadOnlySpan<float> importance)
    {
        RequireAvailable();
        if (!importance.IsEmpty && importance.Length != rowLength)
            throw new ArgumentException($"The importance vector has {importance.Length} values; rows have {rowLength}.", nameof(importance));
        var traits = Traits(ggmlType);
        if (rowLength <= 0 || values.Length % rowLength != 0)
            throw new ArgumentException($"{values.Length} values are not whole rows of {rowLength}.", nameof(rowLength));
        if (rowLength % traits.BlockSize != 0)
            throw new ArgumentException($"Rows of {rowLength} values are not whole {traits.Name} blocks of {traits.BlockSize}.", nameof(rowLength));
        if (importance.IsEmpty && GgmlNative.ggml_quantize_requires_imatrix(ggmlType) != 0)
            throw new ArgumentException($"ggml quantizes {traits.Name} only with an importance matrix.", nameof(ggmlType));
        var rows = values.Length / rowLength;
        var rowBytes = (long)GgmlNative.ggml_row_size(ggmlType, rowLength);
        var output = new byte[rowBytes * rows];
        fixed (float* source = values)
        fixed (float* imatrix = importance)
        fixed (byte* destination = output)
        {
            // An empty span pins to a null pointer: ggml then takes its reference path.
            var written = (long)GgmlNative.ggml_quantize_chunk(ggmlType, source, destination, 0, rows, rowLength, imatrix);
            if (written != output.LongLength)
                throw new InvalidOperationException($"ggml_quantize_chunk wrote {written} bytes of {traits.Name}, expected {output.LongLength}.");
        }
        return output;
    }

    /// <summary>ggml's dequantizer (the type traits' to_float) for <paramref name="valueCount"/> values.</summary>
    public static unsafe float[] Dequantize(int ggmlType, ReadOnlySpan<byte> data, int valueCount)
    {
        RequireAvailable();
        var traits = Traits(ggmlType);
        if (valueCount % traits.BlockSize != 0)
            throw new ArgumentException($"{valueCount} values are not whole {traits.Name} blocks of {traits.BlockSize}.", nameof(valueCount));
        var expectedBytes = valueCount / traits.BlockSize * traits.BlockBytes;
        if (data.Length != expectedBytes)
            throw new ArgumentException($"{valueCount} {traits.Name} values take {expectedBytes} bytes, not {data.Length}.", nameof(data));
        var output = new float[valueCount];
        if (ggmlType == 0)
        {
            MemoryMarshal.Cast<byte, float>(data).CopyTo(output);
            return output;
        }
        if (traits.ToFloat == 0)
            throw new ArgumentException($"ggml has no to_float for {traits.Name}.", nameof(ggmlType));
        var toFloat = (delegate* unmanaged[Cdecl]<void*, float*, long, void>)traits.ToFloat;
        fixed (byte* source = data)
        fixed (float* destination = output)
            toFloat(source, destination, valueCount);
        return output;
    }

    /// <summary>Skips the calling test (Assert.Skip) when llama.cpp's libraries are unavailable.</summary>
    public static void RequireAvailable() => LlamaCppLibraries.Require();

    /// <summary>ToFloat is ggml's to_float function pointer (void (*)(const void*, float*, int64_t)), 0 when none.</summary>
    private readonly record struct TypeInfo(string Name, long BlockSize, long BlockBytes, nint ToFloat);

    /// <summary>
    /// The traits of a type, cross-checked against ggml's own getters so a struct layout that does not match these
    /// libraries fails loudly instead of calling a wrong pointer.
    /// </summary>
    private static unsafe TypeInfo Traits(int ggmlType)
    {
        if (ggmlType < 0 || ggmlType >= 64)
            throw new ArgumentOutOfRangeException(nameof(ggmlType), ggmlType, "Not a ggml type number.");
        var blockSize = GgmlNative.ggml_blck_size(ggmlType);
        if (blockSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(ggmlType), ggmlType, "ggml has no such type (removed or unknown).");
        var traits = GgmlNative.ggml_get_type_traits(ggmlType);
        var name = Marshal.PtrToStringUTF8((nint)GgmlNative.ggml_type_name(ggmlType)) ?? "?";
        if (traits->TypeName != GgmlNative.ggml_type_name(ggmlType) || traits->BlockSize != blockSize
            || traits->TypeSize != GgmlNative.ggml_type_size(ggmlType))
            throw new InvalidOperationException($"ggml_type_traits of {name} does not have the layout these bindings expect.");
        return new TypeInfo(name, blockSize, (long)traits->TypeSize, (nint)traits->ToFloat);
    }
}
