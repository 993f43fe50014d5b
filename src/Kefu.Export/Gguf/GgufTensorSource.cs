namespace Kefu.Export.Gguf;

/// <summary>A tensor to write: header facts up front, its bytes (already in <see cref="Type"/>'s layout) produced when reached.</summary>
public sealed record GgufTensorSource(string Name, IReadOnlyList<long> Dimensions, GgmlType Type, Func<byte[]> Produce)
{
    public long ByteSize => Type.ByteSize(Dimensions.Aggregate(1L, (a, b) => a * b));
}
