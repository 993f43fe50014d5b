namespace Kefu.Export.Gguf;

/// <summary>Dequantizes one block of a ggml block format into exactly one block's values.</summary>
internal delegate void BlockDequantizer(ReadOnlySpan<byte> block, Span<float> values);
