using System.Text;

namespace Kefu.Export.Gguf;

/// <summary>
/// A GGUF file read back: version, metadata in file order, tensor infos and where the data starts. Every field is
/// checked as it is read (magic, version, lengths against the file size, known types, aligned offsets inside the
/// file), and errors name the file and the byte position.
/// </summary>
public sealed class GgufFile
{
    private const long MaxStringBytes = 1L << 30;

    private GgufFile(string path, uint version, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensorInfo> tensors, int alignment, long dataOffset)
    {
        Path = path;
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        Alignment = alignment;
        DataOffset = dataOffset;
    }

    public string Path { get; }

    public uint Version { get; }

    public IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    public int Alignment { get; }

    /// <summary>Absolute file position of the data section.</summary>
    public long DataOffset { get; }

    /// <summary>The metadata value under <paramref name="key"/>, or a clear error.</summary>
    public GgufValue this[string key] => TryGet(key) ?? throw new GgufFormatException($"{Path}: no metadata key '{key}'.");

    public GgufValue? TryGet(string key) => Metadata.FirstOrDefault(m => m.Key == key).Value;

    public GgufTensorInfo Tensor(string name) =>
        Tensors.FirstOrDefault(t => t.Name == name) ?? throw new GgufFormatException($"{Path}: no tensor named '{name}'.");

    /// <summary>The raw bytes of a tensor, in its ggml layout.</summary>
    public byte[] ReadBytes(string name)
    {
        var info = Tensor(name);
        using var stream = File.OpenRead(Path);
        stream.Position = DataOffset + info.Offset;
        var bytes = new byte[info.ByteSize];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>A tensor's values as float32 (dequantised for the block types: Q8_0, Q4_0, Q5_0, Q4_K, Q6_K).</summary>
    public float[] ReadFloats(string name) => GgmlQuants.ToFloats(ReadBytes(name), Tensor(name).Type);

    public static GgufFile Read(string path)
    {
        if (!File.Exists(path))
            throw new GgufFormatException($"{path}: file not found.");
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var length = stream.Length;
        string Where() => $"{path} at byte {stream.Position}";
        try
        {
            var magic = reader.ReadUInt32();
            if (magic != GgufWriter.Magic)
                throw new GgufFormatException($"{path}: not a GGUF file (magic 0x{magic:X8}, expected \"GGUF\").");
            var version = reader.ReadUInt32();
            if (version is not (2 or 3))
                throw new GgufFormatException($"{path}: GGUF version {version} is not supported (2 or 3).");
            var tensorCount = reader.ReadUInt64();
            var metadataCount = reader.ReadUInt64();
            if (tensorCount > (ulong)length || metadataCount > (ulong)length)
                throw new GgufFormatException($"{path}: header counts ({tensorCount} tensors, {metadataCount} metadata) are larger than the file.");

            var metadata = new List<KeyValuePair<string, GgufValue>>((int)metadataCount);
            for (ulong i = 0; i < metadataCount; i++)
            {
                var key = ReadString(reader, length, Where);
                var type = ReadType(reader, Where, key);
                metadata.Add(new(key, ReadValue(reader, type, length, Where, key)));
            }
            var alignment = metadata.FirstOrDefault(m => m.Key == "general.alignment").Value is { } a ? (int)a.AsInteger() : GgufWriter.DefaultAlignment;
            if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
                throw new GgufFormatException($"{path}: general.alignment {alignment} is not a power of two.");

            var tensors = new List<GgufTensorInfo>((int)tensorCount);
            for (ulong i = 0; i < tensorCount; i++)
            {
                var name = ReadString(reader, length, Where);
                var dimensionCount = reader.ReadUInt32();
                if (dimensionCount is 0 or > 4)
                    throw new GgufFormatException($"{Where()}: tensor '{name}' has {dimensionCount} dimensions (1–4 allowed).");
                var dimensions = new long[dimensionCount];
                for (var d = 0; d < dimensionCount; d++)
                    dimensions[d] = checked((long)reader.ReadUInt64());
                var typeValue = reader.ReadUInt32();
                if (!GgmlTypes.IsKnown(typeValue))
                    throw new GgufFormatException($"{Where()}: tensor '{name}' has ggml type {typeValue}, which Kefu does not read.");
                var offset = checked((long)reader.ReadUInt64());
                if (offset % alignment != 0)
                    throw new GgufFormatException($"{Where()}: tensor '{name}' offset {offset} is not a multiple of the alignment {alignment}.");
                tensors.Add(new GgufTensorInfo(name, dimensions, (GgmlType)typeValue, offset));
            }
            var dataOffset = GgufWriter.Align(stream.Position, alignment);
            foreach (var tensor in tensors)
            {
                if (dataOffset + tensor.Offset + tensor.ByteSize > length)
                    throw new GgufFormatException($"{path}: tensor '{tensor.Name}' ({tensor.ByteSize} bytes at data offset {tensor.Offset}) runs past the end of the file.");
            }
            return new GgufFile(path, version, metadata, tensors, alignment, dataOffset);
        }
        catch (EndOfStreamException e)
        {
            throw new GgufFormatException($"{path}: the file ends in the middle of the header (truncated?).", e);
        }
        catch (OverflowException e)
        {
            throw new GgufFormatException($"{Where()}: a size does not fit a signed 64-bit number.", e);
        }
    }

    private static GgufValueType ReadType(BinaryReader reader, Func<string> where, string key)
    {
        var type = reader.ReadUInt32();
        if (!Enum.IsDefined(typeof(GgufValueType), type))
            throw new GgufFormatException($"{where()}: metadata '{key}' has unknown value type {type}.");
        return (GgufValueType)type;
    }

    private static string ReadString(BinaryReader reader, long fileLength, Func<string> where)
    {
        var length = reader.ReadUInt64();
        if (length > MaxStringBytes || (long)length > fileLength - reader.BaseStream.Position)
            throw new GgufFormatException($"{where()}: string length {length} runs past the end of the file.");
        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    private static GgufValue ReadValue(BinaryReader reader, GgufValueType type, long fileLength, Func<string> where, string key)
    {
        if (type != GgufValueType.Array)
            return new GgufValue(type, ReadScalar(reader, type, fileLength, where, key));
        var elementType = ReadType(reader, where, key);
        if (elementType == GgufValueType.Array)
            throw new GgufFormatException($"{where()}: metadata '{key}' is an array of arrays, which Kefu does not read.");
        var count = reader.ReadUInt64();
        if (count > (ulong)fileLength)
            throw new GgufFormatException($"{where()}: metadata '{key}' claims {count} items, more than the file could hold.");
        var items = elementType switch
        {
            GgufValueType.String => (Array)new string[count],
            GgufValueType.Int32 => new int[count],
            GgufValueType.UInt32 => new uint[count],
            GgufValueType.Float32 => new float[count],
            _ => new object[count],
        };
        for (ulong i = 0; i < count; i++)
            items.SetValue(ReadScalar(reader, elementType, fileLength, where, key), (long)i);
        return new GgufValue(GgufValueType.Array, items, elementType);
    }

    private static object ReadScalar(BinaryReader reader, GgufValueType type, long fileLength, Func<string> where, string key) => type switch
    {
        GgufValueType.UInt8 => reader.ReadByte(),
        GgufValueType.Int8 => reader.ReadSByte(),
        GgufValueType.UInt16 => reader.ReadUInt16(),
        GgufValueType.Int16 => reader.ReadInt16(),
        GgufValueType.UInt32 => reader.ReadUInt32(),
        GgufValueType.Int32 => reader.ReadInt32(),
        GgufValueType.UInt64 => reader.ReadUInt64(),
        GgufValueType.Int64 => reader.ReadInt64(),
        GgufValueType.Float32 => reader.ReadSingle(),
        GgufValueType.Float64 => reader.ReadDouble(),
        GgufValueType.Bool => reader.ReadByte() switch
        {
            0 => false,
            1 => true,
            var b => throw new GgufFormatException($"{where()}: metadata '{key}' bool byte is {b}, not 0 or 1."),
        },
        GgufValueType.String => ReadString(reader, fileLength, where),
        _ => throw new GgufFormatException($"{where()}: metadata '{key}' has value type {type} where a scalar was expected."),
    };
}
