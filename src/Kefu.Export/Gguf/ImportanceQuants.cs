// Q4_0 and Q8_0 are ggml's own names for these formats; users meet them in llama.cpp and Ollama spelled so.
#pragma warning disable CA1707

namespace Kefu.Export.Gguf;

/// <summary>
/// Quantization with an importance matrix, byte for byte as ggml_quantize_chunk with a non-null imatrix: one
/// importance value per input column (the mean square of the activations that column multiplies), shared by every
/// row of the weight. Q4_K, Q6_K, Q5_0 and Q4_0 then take ggml's quantize_row_*_impl paths, which weight each value's
/// error by its importance; Q8_0 and the float types ignore it in ggml too, so they equal <see cref="GgmlQuants.FromFloats"/>.
/// </summary>
public static class ImportanceQuants
{
    // As GgmlBlocks: the searches cost hundreds of float operations per value, so rows are shared across cores.
    private const int ValuesPerChunk = 256 * 256;

    private delegate void RowQuantizer(ReadOnlySpan<float> row, ReadOnlySpan<float> importance, Span<byte> output);

    /// <summary>Whether ggml's quantizer for <paramref name="type"/> reads the importance matrix at all.</summary>
    public static bool UsesImportance(this GgmlType type) => type is GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q4_K or GgmlType.Q6_K;

    /// <summary>
    /// Encodes rows of <c>importance.Length</c> values as <paramref name="type"/>, weighting by <paramref name="importance"/>
    /// (non-negative, finite; one value per column).
    /// </summary>
    public static byte[] FromFloats(ReadOnlySpan<float> values, GgmlType type, ReadOnlySpan<float> importance)
    {
        if (importance.IsEmpty)
            throw new ArgumentException("The importance vector is empty.", nameof(importance));
        var rowLength = importance.Length;
        if (values.Length % rowLength != 0)
            throw new ArgumentException($"{values.Length} values are not whole rows of {rowLength} (the importance vector's length).", nameof(values));
        for (var i = 0; i < importance.Length; i++)
        {
            if (!float.IsFinite(importance[i]) || importance[i] < 0)
                throw new ArgumentException($"Importance of column {i} is {importance[i]}; it must be a finite non-negative number.", nameof(importance));
        }
        RowQuantizer? quantizer = type switch
        {
            GgmlType.Q4_K => (row, qw, output) => QuantizeBlocks(row, qw, output, Q4KFormat.BlockValues, Q4KFormat.BlockBytes, Q4KFormat.QuantizeBlock),
            GgmlType.Q6_K => (row, qw, output) => QuantizeBlocks(row, qw, output, Q6KFormat.BlockValues, Q6KFormat.BlockBytes, Q6KFormat.QuantizeBlock),
            GgmlType.Q5_0 => Q5_0Format.QuantizeRow,
            GgmlType.Q4_0 => Q4_0Format.QuantizeRow,
            _ => null,
        };
        if (quantizer is null)
            return GgmlQuants.FromFloats(values, type);
        if (rowLength % type.BlockElements() != 0)
            throw new ArgumentException($"Rows of {rowLength} values are not whole {type} blocks of {type.BlockElements()}.", nameof(values));

        var rows = values.Length / rowLength;
        var rowBytes = rowLength / type.BlockElements() * type.BlockBytes();
        var output = new byte[(long)rows * rowBytes];
        var rowsPerChunk = Math.Max(1, ValuesPerChunk / rowLength);
        if (rows <= rowsPerChunk)
        {
            for (var r = 0; r < rows; r++)
                quantizer(values.Slice(r * rowLength, rowLength), importance, output.AsSpan(r * rowBytes, rowBytes));
            return output;
        }
        var input = values.ToArray();
        var weights = importance.ToArray();
        var chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        Parallel.For(0, chunks, chunk =>
        {
            var end = Math.Min(rows, (chunk + 1) * rowsPerChunk);
            for (var r = chunk * rowsPerChunk; r < end; r++)
                quantizer(input.AsSpan(r * rowLength, rowLength), weights, output.AsSpan(r * rowBytes, rowBytes));
        });
        return output;
    }

    /// <summary>The k-quants' impl paths keep everything inside a super-block; only the importance offset moves.</summary>
    private static void QuantizeBlocks(ReadOnlySpan<float> row, ReadOnlySpan<float> importance, Span<byte> output, int blockValues, int blockBytes,
        WeightedBlockQuantizer quantizeBlock)
    {
        for (var b = 0; b < row.Length / blockValues; b++)
            quantizeBlock(row.Slice(b * blockValues, blockValues), importance.Slice(b * blockValues, blockValues), output.Slice(b * blockBytes, blockBytes));
    }

    private delegate void WeightedBlockQuantizer(ReadOnlySpan<float> values, ReadOnlySpan<float> importance, Span<byte> block);
}
