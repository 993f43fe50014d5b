using System.Buffers.Binary;
using System.Text.Json;

namespace Kefu.Model.Safetensors;

/// <summary>
/// The header of a safetensors file: 8-byte little-endian length N, then N bytes of UTF-8 JSON
/// <c>{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {string: string}}</c>, then the data.
/// Parsing trusts nothing: the length is checked against the file before anything is allocated, and every entry is
/// checked against the data section, so a damaged file fails here with a message instead of later with garbage.
/// </summary>
public sealed class SafetensorsHeader
{
    /// <summary>The key that holds free-form string metadata instead of a tensor.</summary>
    public const string MetadataKey = "__metadata__";

    /// <summary>Headers above this size are refused (the reference implementation's limit too).</summary>
    public const long MaxHeaderBytes = 100L * 1024 * 1024;

    private SafetensorsHeader(long headerLength, IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        HeaderLength = headerLength;
        TensorsInFileOrder = tensors;
        Tensors = tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
        Metadata = metadata;
    }

    /// <summary>N, the JSON header's length in bytes.</summary>
    public long HeaderLength { get; }

    /// <summary>Where the data section starts in the file: 8 + N.</summary>
    public long DataOffset => 8 + HeaderLength;

    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>Tensors sorted by where their bytes lie.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> TensorsInFileOrder { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads and validates the header at the start of <paramref name="stream"/>, a file of <paramref name="fileLength"/> bytes.</summary>
    public static SafetensorsHeader Read(Stream stream, long fileLength, string source)
    {
        if (fileLength < 8)
            throw new SafetensorsFormatException($"{source}: truncated: {fileLength} bytes is too short for the 8-byte header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > (ulong)(fileLength - 8))
            throw new SafetensorsFormatException($"{source}: bad header: its length field says {headerLength} bytes, but only {fileLength - 8} bytes follow it (truncated file, or not a safetensors file).");
        if (headerLength > MaxHeaderBytes)
            throw new SafetensorsFormatException($"{source}: bad header: {headerLength} bytes is above the {MaxHeaderBytes}-byte limit.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        return Parse(json, fileLength - 8 - (long)headerLength, source);
    }

    /// <summary>Reads the header of a file on disk.</summary>
    public static SafetensorsHeader Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        return Read(stream, stream.Length, path);
    }

    /// <summary>Parses the header JSON, given the length of the data section that follows it.</summary>
    public static SafetensorsHeader Parse(ReadOnlyMemory<byte> json, long dataLength, string source)
    {
        if (json.IsEmpty)
            throw new SafetensorsFormatException($"{source}: bad header: it is empty (expected a JSON object).");
        // The JSON reader leaves invalid UTF-8 inside strings to whoever reads them later; refuse it up front.
        if (!System.Text.Unicode.Utf8.IsValid(json.Span))
            throw new SafetensorsFormatException($"{source}: bad header: not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new SafetensorsFormatException($"{source}: bad header: not valid JSON ({e.Message})", e);
        }
        catch (ArgumentException e)
        {
            throw new SafetensorsFormatException($"{source}: bad header: not valid UTF-8 JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new SafetensorsFormatException($"{source}: bad header: expected a JSON object, found {root.ValueKind}.");

            var tensors = new List<SafetensorsTensorInfo>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            IReadOnlyDictionary<string, string> metadata = new Dictionary<string, string>();
            foreach (var property in root.EnumerateObject())
            {
                if (!names.Add(property.Name))
                    throw new SafetensorsFormatException($"{source}: bad header: '{property.Name}' appears twice.");
                if (property.Name == MetadataKey)
                    metadata = ParseMetadata(property.Value, source);
                else
                    tensors.Add(ParseTensor(property.Name, property.Value, dataLength, source));
            }

            tensors.Sort((a, b) => a.DataStart != b.DataStart ? a.DataStart.CompareTo(b.DataStart) : a.DataEnd.CompareTo(b.DataEnd));
            for (var i = 1; i < tensors.Count; i++)
            {
                if (tensors[i].DataStart < tensors[i - 1].DataEnd)
                    throw new SafetensorsFormatException($"{source}: bad header: tensors '{tensors[i - 1].Name}' and '{tensors[i].Name}' overlap (bytes {tensors[i - 1].DataStart}-{tensors[i - 1].DataEnd} and {tensors[i].DataStart}-{tensors[i].DataEnd}).");
            }
            return new SafetensorsHeader(json.Length, tensors, metadata);
        }
    }

    private static Dictionary<string, string> ParseMetadata(JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException($"{source}: bad header: {MetadataKey} must be an object of strings, found {value.ValueKind}.");
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw new SafetensorsFormatException($"{source}: bad header: {MetadataKey}.{entry.Name} must be a string, found {entry.Value.ValueKind}.");
            if (!metadata.TryAdd(entry.Name, entry.Value.GetString()!))
                throw new SafetensorsFormatException($"{source}: bad header: {MetadataKey}.{entry.Name} appears twice.");
        }
        return metadata;
    }

    private static SafetensorsTensorInfo ParseTensor(string name, JsonElement value, long dataLength, string source)
    {
        string Where(string field) => $"{source}: bad header: tensor '{name}' field {field}";

        if (value.ValueKind != JsonValueKind.Object)
            throw new SafetensorsFormatException($"{source}: bad header: tensor '{name}' must be an object, found {value.ValueKind}.");
        if (!value.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw new SafetensorsFormatException($"{Where("dtype")}: missing or not a string.");
        var dtypeText = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeText, out var dtype))
            throw new SafetensorsFormatException($"{Where("dtype")}: '{dtypeText}' is not supported (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL).");

        var shape = ReadNonNegativeIntegers(value, "shape", Where, expectedCount: null);
        var offsets = ReadNonNegativeIntegers(value, "data_offsets", Where, expectedCount: 2);
        var (start, end) = (offsets[0], offsets[1]);
        if (end < start)
            throw new SafetensorsFormatException($"{Where("data_offsets")}: end {end} is before start {start}.");

        long expectedBytes = dtype.ElementSize();
        foreach (var dim in shape)
        {
            if (dim != 0 && expectedBytes > long.MaxValue / dim)
                throw new SafetensorsFormatException($"{Where("shape")}: [{string.Join(", ", shape)}] is too large.");
            expectedBytes *= dim;
        }
        if (end - start != expectedBytes)
            throw new SafetensorsFormatException($"{Where("data_offsets")}: [{start}, {end}] spans {end - start} bytes, but {dtypeText} [{string.Join(", ", shape)}] needs {expectedBytes}.");
        if (end > dataLength)
            throw new SafetensorsFormatException($"{source}: truncated: tensor '{name}' needs data bytes up to {end}, but the data section has only {dataLength}.");
        return new SafetensorsTensorInfo(name, dtype, shape, start, end);
    }

    private static long[] ReadNonNegativeIntegers(JsonElement tensor, string field, Func<string, string> where, int? expectedCount)
    {
        if (!tensor.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw new SafetensorsFormatException($"{where(field)}: missing or not a list.");
        var count = array.GetArrayLength();
        if (expectedCount is { } expected && count != expected)
            throw new SafetensorsFormatException($"{where(field)}: expected {expected} numbers, found {count}.");
        if (count > 64)
            throw new SafetensorsFormatException($"{where(field)}: {count} dimensions is not plausible.");
        var values = new long[count];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var number) || number < 0)
                throw new SafetensorsFormatException($"{where(field)}: item {i} is not a non-negative integer ({item.GetRawText()}).");
            values[i++] = number;
        }
        return values;
    }

    /// <summary>Serializes a header for the writer: entries in the given order, padded with spaces to a multiple of 8.</summary>
    internal static byte[] Serialize(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata)
                    writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            foreach (var tensor in tensors)
            {
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType.HeaderName());
                writer.WriteStartArray("shape");
                foreach (var dim in tensor.Shape)
                    writer.WriteNumberValue(dim);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(tensor.DataStart);
                writer.WriteNumberValue(tensor.DataEnd);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        var padded = (buffer.Length + 7) / 8 * 8;
        while (buffer.Length < padded)
            buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }
}
