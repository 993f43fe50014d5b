using System.Text;

namespace Kefu.Export.Gguf;

/// <summary>
/// Writes GGUF version 3 (ggml docs/gguf.md), little-endian: magic "GGUF", version, tensor count, metadata count,
/// the metadata key/values, the tensor infos (name, dims innermost first, ggml type, offset), padding to the
/// alignment, then each tensor's bytes at its offset (each offset a multiple of the alignment). Tensors are produced
/// one at a time; the file appears under its name only when complete.
/// </summary>
public static class GgufWriter
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    public const uint Version = 3;
    public const int DefaultAlignment = 32;

    public static void Write(string path, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata, IReadOnlyList<GgufTensorSource> tensors,
        Action<GgufTensorSource>? onWritten = null)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(tensors);
        var duplicateKey = metadata.GroupBy(m => m.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateKey is not null)
            throw new ArgumentException($"Metadata key '{duplicateKey.Key}' is given twice.", nameof(metadata));
        var duplicateTensor = tensors.GroupBy(t => t.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateTensor is not null)
            throw new ArgumentException($"Tensor '{duplicateTensor.Key}' is given twice.", nameof(tensors));
        var alignment = metadata.FirstOrDefault(m => m.Key == "general.alignment").Value is { } a ? (int)a.AsInteger() : DefaultAlignment;

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, "." + Path.GetFileName(full) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(Magic);
                writer.Write(Version);
                writer.Write((ulong)tensors.Count);
                writer.Write((ulong)metadata.Count);
                foreach (var (key, value) in metadata)
                {
                    WriteString(writer, key);
                    writer.Write((uint)value.Type);
                    WriteValue(writer, value, key);
                }
                long offset = 0;
                foreach (var tensor in tensors)
                {
                    WriteString(writer, tensor.Name);
                    writer.Write((uint)tensor.Dimensions.Count);
                    foreach (var dimension in tensor.Dimensions)
                        writer.Write((ulong)dimension);
                    writer.Write((uint)tensor.Type);
                    writer.Write((ulong)offset);
                    offset = Align(offset + tensor.ByteSize, alignment);
                }
                writer.Flush();
                Pad(stream, alignment);
                var dataStart = stream.Position;
                foreach (var tensor in tensors)
                {
                    var bytes = tensor.Produce();
                    if (bytes.LongLength != tensor.ByteSize)
                        throw new InvalidOperationException($"Tensor '{tensor.Name}' was announced as {tensor.ByteSize} bytes of {tensor.Type} but produced {bytes.LongLength}.");
                    stream.Write(bytes);
                    Pad(stream, alignment, dataStart);
                    onWritten?.Invoke(tensor);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    internal static long Align(long offset, int alignment) => (offset + alignment - 1) / alignment * alignment;

    private static void Pad(Stream stream, int alignment, long origin = 0)
    {
        var position = stream.Position - origin;
        var padding = Align(position, alignment) - position;
        for (var i = 0; i < padding; i++)
            stream.WriteByte(0);
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static void WriteValue(BinaryWriter writer, GgufValue value, string key)
    {
        if (value.Type == GgufValueType.Array)
        {
            var elementType = value.ElementType ?? throw new ArgumentException($"Metadata '{key}': an array needs an element type.");
            var items = (Array)value.Value;
            writer.Write((uint)elementType);
            writer.Write((ulong)items.Length);
            foreach (var item in items)
                WriteScalar(writer, elementType, item!, key);
            return;
        }
        WriteScalar(writer, value.Type, value.Value, key);
    }

    private static void WriteScalar(BinaryWriter writer, GgufValueType type, object value, string key)
    {
        try
        {
            switch (type)
            {
                case GgufValueType.UInt8: writer.Write(Convert.ToByte(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Int8: writer.Write(Convert.ToSByte(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.UInt16: writer.Write(Convert.ToUInt16(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Int16: writer.Write(Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.UInt32: writer.Write(Convert.ToUInt32(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Int32: writer.Write(Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.UInt64: writer.Write(Convert.ToUInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Int64: writer.Write(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Float32: writer.Write(Convert.ToSingle(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Float64: writer.Write(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)); break;
                case GgufValueType.Bool: writer.Write((byte)((bool)value ? 1 : 0)); break;
                case GgufValueType.String: WriteString(writer, (string)value); break;
                default: throw new ArgumentException($"Metadata '{key}': arrays of arrays are not written by Kefu.");
            }
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException or FormatException)
        {
            throw new ArgumentException($"Metadata '{key}': value {value} does not fit type {type}.", e);
        }
    }
}
