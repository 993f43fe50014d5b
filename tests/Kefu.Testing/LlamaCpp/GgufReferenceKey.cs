namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// One metadata key as ggml's gguf reader sees it. <paramref name="Type"/> and <paramref name="ArrayType"/> are
/// gguf_type numbers (UINT8 0 … STRING 8, ARRAY 9, UINT64 10, INT64 11, FLOAT64 12); <paramref name="Value"/> is
/// the scalar (byte, sbyte, ushort, short, uint, int, float, bool, string, ulong, long, double) or an array of them.
/// </summary>
public sealed record GgufReferenceKey(string Key, int Type, int? ArrayType, object Value);
