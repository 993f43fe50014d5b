using static TorchSharp.torch;

namespace Kefu.Model.Safetensors;

/// <summary>
/// Writes safetensors files: header first (offsets in entry order, padded with spaces to 8 bytes), then each
/// tensor's bytes. The file appears under its name only when complete (temporary file, flush, rename).
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>Writes <paramref name="entries"/> to <paramref name="path"/>; <paramref name="onWritten"/> is told after each tensor.</summary>
    public static void Write(string path, IReadOnlyList<SafetensorsEntry> entries, IReadOnlyDictionary<string, string>? metadata = null, Action<SafetensorsEntry>? onWritten = null)
    {
        var duplicate = entries.GroupBy(e => e.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Tensor '{duplicate.Key}' is listed twice.", nameof(entries));

        var infos = new List<SafetensorsTensorInfo>(entries.Count);
        long offset = 0;
        foreach (var entry in entries)
        {
            infos.Add(new SafetensorsTensorInfo(entry.Name, entry.DType, entry.Shape, offset, offset + entry.ByteLength));
            offset += entry.ByteLength;
        }
        var header = SafetensorsHeader.Serialize(infos, metadata);

        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(path) + ".tmp-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var entry in entries)
                {
                    WriteData(entry, stream);
                    onWritten?.Invoke(entry);
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Writes existing tensors under their names, each in its own type.</summary>
    public static void WriteTensors(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors, IReadOnlyDictionary<string, string>? metadata = null) =>
        Write(path, tensors.Select(t => SafetensorsEntry.FromTensor(t.Key, t.Value)).ToList(), metadata);

    private static void WriteData(SafetensorsEntry entry, Stream stream)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tensor = entry.Produce();
        if (!tensor.shape.SequenceEqual(entry.Shape))
            throw new InvalidOperationException($"Tensor '{entry.Name}' was announced as [{string.Join(", ", entry.Shape)}] but produced [{string.Join(", ", tensor.shape)}].");
        var type = entry.DType.ToScalarType();
        var ready = tensor.to(type, CPU).contiguous();
        TensorBytes.WriteTo(ready, stream);
    }
}
