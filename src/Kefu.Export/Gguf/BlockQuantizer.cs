namespace Kefu.Export.Gguf;

/// <summary>Quantizes one block of a ggml block format: <c>values</c> holds exactly one block's values.</summary>
internal delegate void BlockQuantizer(ReadOnlySpan<float> values, Span<byte> block);
