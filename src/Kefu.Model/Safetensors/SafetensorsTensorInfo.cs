namespace Kefu.Model.Safetensors;

/// <summary>One tensor's header entry. Offsets count from the start of the data section (after the header).</summary>
public sealed record SafetensorsTensorInfo(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, long DataStart, long DataEnd)
{
    public long ByteLength => DataEnd - DataStart;

    public long ElementCount
    {
        get
        {
            long count = 1;
            foreach (var dim in Shape)
                count *= dim;
            return count;
        }
    }

    public string ShapeText => "[" + string.Join(", ", Shape) + "]";
}
