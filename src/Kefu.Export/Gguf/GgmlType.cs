// Q4_0 and Q8_0 are ggml's own names for these formats; users meet them in llama.cpp and Ollama spelled so.
#pragma warning disable CA1707

namespace Kefu.Export.Gguf;

/// <summary>The tensor element types Kefu writes and reads (ggml_type numbers from ggml.h).</summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q5_0 = 6,
    Q8_0 = 8,
    Q4_K = 12,
    Q6_K = 14,
    BF16 = 30,
}

/// <summary>Block sizes of <see cref="GgmlType"/>: elements per block and bytes per block.</summary>
public static class GgmlTypes
{
    /// <summary>Elements in one block (32 for Q4_0/Q5_0/Q8_0, 256 for the k-quant super-blocks, 1 otherwise).</summary>
    public static int BlockElements(this GgmlType type) => type switch
    {
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => 32,
        GgmlType.Q4_K or GgmlType.Q6_K => 256,
        _ => 1,
    };

    /// <summary>
    /// Bytes of one block: Q4_0 is an f16 scale + 16 bytes of nibbles; Q5_0 adds 4 bytes of fifth bits; Q8_0 an f16
    /// scale + 32 int8; Q4_K and Q6_K as <see cref="Q4KFormat"/> and <see cref="Q6KFormat"/>.
    /// </summary>
    public static int BlockBytes(this GgmlType type) => type switch
    {
        GgmlType.F32 => 4,
        GgmlType.F16 or GgmlType.BF16 => 2,
        GgmlType.Q4_0 => 2 + 16,
        GgmlType.Q5_0 => 2 + 4 + 16,
        GgmlType.Q8_0 => 2 + 32,
        GgmlType.Q4_K => Q4KFormat.BlockBytes,
        GgmlType.Q6_K => Q6KFormat.BlockBytes,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Kefu does not handle this ggml type."),
    };

    /// <summary>Bytes of a tensor of <paramref name="elements"/> elements; throws when they do not fill whole blocks.</summary>
    public static long ByteSize(this GgmlType type, long elements)
    {
        var block = type.BlockElements();
        if (elements % block != 0)
            throw new ArgumentException($"{elements} elements are not a whole number of {type} blocks of {block}.", nameof(elements));
        return elements / block * type.BlockBytes();
    }

    public static bool IsKnown(uint value) => Enum.IsDefined(typeof(GgmlType), value);
}
