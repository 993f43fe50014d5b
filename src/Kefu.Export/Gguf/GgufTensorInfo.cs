namespace Kefu.Export.Gguf;

/// <summary>
/// A tensor's entry in the GGUF header. <see cref="Dimensions"/> are ggml's ne[], innermost first: a PyTorch
/// weight [out, in] is [in, out] here. <see cref="Offset"/> is relative to the start of the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, long Offset)
{
    public long ElementCount => Dimensions.Aggregate(1L, (a, b) => a * b);

    public long ByteSize => Type.ByteSize(ElementCount);
}
