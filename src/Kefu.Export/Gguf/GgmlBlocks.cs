namespace Kefu.Export.Gguf;

/// <summary>
/// Runs a per-block (de)quantizer over a whole tensor. Blocks are independent in every ggml format, so large
/// tensors are split across cores in fixed chunks: the bytes are the same as a single-threaded pass.
/// </summary>
internal static class GgmlBlocks
{
    // The k-quant searches cost a few hundred float operations per value; below this many blocks threads don't pay.
    private const int BlocksPerChunk = 256;

    public static byte[] Quantize(ReadOnlySpan<float> values, GgmlType type, BlockQuantizer quantizer)
    {
        var blockValues = type.BlockElements();
        var blockBytes = type.BlockBytes();
        if (values.Length % blockValues != 0)
            throw new ArgumentException($"{values.Length} values are not a whole number of {type} blocks of {blockValues}.", nameof(values));
        var blocks = values.Length / blockValues;
        var output = new byte[(long)blocks * blockBytes];
        if (blocks <= BlocksPerChunk)
        {
            for (var i = 0; i < blocks; i++)
                quantizer(values.Slice(i * blockValues, blockValues), output.AsSpan(i * blockBytes, blockBytes));
            return output;
        }
        var input = values.ToArray();
        var chunks = (blocks + BlocksPerChunk - 1) / BlocksPerChunk;
        Parallel.For(0, chunks, chunk =>
        {
            var end = Math.Min(blocks, (chunk + 1) * BlocksPerChunk);
            for (var i = chunk * BlocksPerChunk; i < end; i++)
                quantizer(input.AsSpan(i * blockValues, blockValues), output.AsSpan(i * blockBytes, blockBytes));
        });
        return output;
    }

    public static float[] Dequantize(ReadOnlySpan<byte> bytes, GgmlType type, BlockDequantizer dequantizer)
    {
        var blockValues = type.BlockElements();
        var blockBytes = type.BlockBytes();
        if (bytes.Length % blockBytes != 0)
            throw new ArgumentException($"{bytes.Length} bytes are not a whole number of {type} blocks of {blockBytes} bytes.", nameof(bytes));
        var blocks = bytes.Length / blockBytes;
        var values = new float[(long)blocks * blockValues];
        for (var i = 0; i < blocks; i++)
            dequantizer(bytes.Slice(i * blockBytes, blockBytes), values.AsSpan(i * blockValues, blockValues));
        return values;
    }
}
