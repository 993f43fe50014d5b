namespace Kefu.Testing.LlamaCpp;

/// <summary>
/// One tensor as ggml's gguf reader sees it: ggml type number, ne[4] (innermost first, unused dimensions 1),
/// offset from the data section and size in bytes.
/// </summary>
public sealed record GgufReferenceTensor(string Name, int Type, IReadOnlyList<long> Dimensions, long Offset, long Size);
