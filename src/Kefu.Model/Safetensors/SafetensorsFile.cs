using System.IO.MemoryMappedFiles;
using TorchSharp;
using static TorchSharp.torch;

namespace Kefu.Model.Safetensors;

/// <summary>
/// One safetensors file, memory-mapped read-only. Tensors are copied from the mapping straight into their
/// destination's storage, one at a time, so loading never holds a second full copy of the weights in memory.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    private readonly MemoryMappedFile? _map;

    private SafetensorsFile(string path, SafetensorsHeader header, MemoryMappedFile? map)
    {
        Path = path;
        Header = header;
        _map = map;
    }

    public string Path { get; }

    public SafetensorsHeader Header { get; }

    /// <summary>Opens and validates a file; throws <see cref="SafetensorsFormatException"/> when it is damaged.</summary>
    public static SafetensorsFile Open(string path)
    {
        if (!File.Exists(path))
            throw new SafetensorsFormatException($"{path}: file not found.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var length = stream.Length;
        var header = SafetensorsHeader.Read(stream, length, path);
        // A mapping of an empty range is an error on some systems; files whose tensors are all empty need none.
        var map = length > header.DataOffset
            ? MemoryMappedFile.CreateFromFile(stream, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false)
            : null;
        return new SafetensorsFile(path, header, map);
    }

    /// <summary>The header entry of a tensor, or a clear error naming the file when it is not there.</summary>
    public SafetensorsTensorInfo Info(string name) =>
        Header.Tensors.TryGetValue(name, out var info)
            ? info
            : throw new SafetensorsFormatException($"{Path}: no tensor named '{name}'.");

    /// <summary>
    /// Fills <paramref name="destination"/> with the stored tensor <paramref name="name"/>. Shapes must match exactly;
    /// the element type is converted when it differs (a bfloat16 checkpoint into a float32 model).
    /// </summary>
    public unsafe void CopyInto(string name, Tensor destination)
    {
        var info = Info(name);
        if (!info.Shape.SequenceEqual(destination.shape))
            throw new SafetensorsFormatException($"{Path}: tensor '{name}' has shape {info.ShapeText} in the file, but the model expects [{string.Join(", ", destination.shape)}].");
        if (info.ByteLength == 0)
            return;

        using var noGrad = no_grad();
        using var view = _map!.CreateViewAccessor(Header.DataOffset + info.DataStart, info.ByteLength, MemoryMappedFileAccess.Read);
        var handle = view.SafeMemoryMappedViewHandle;
        byte* pointer = null;
        handle.AcquirePointer(ref pointer);
        try
        {
            var source = pointer + view.PointerOffset;
            var direct = destination.device_type == DeviceType.CPU
                && destination.is_contiguous()
                && destination.dtype == info.DType.ToScalarType();
            if (direct)
            {
                TensorBytes.CopyFrom(source, info.ByteLength, destination);
                return;
            }
            // Different type or device: stage this one tensor on the CPU in the file's type, then let libtorch convert.
            using var staging = empty(info.Shape.ToArray(), info.DType.ToScalarType(), CPU);
            TensorBytes.CopyFrom(source, info.ByteLength, staging);
            destination.copy_(staging);
        }
        finally
        {
            handle.ReleasePointer();
        }
    }

    /// <summary>Reads a stored tensor into a new tensor of its own type on <paramref name="device"/> (the CPU by default).</summary>
    public Tensor Read(string name, Device? device = null)
    {
        var info = Info(name);
        var tensor = empty(info.Shape.ToArray(), info.DType.ToScalarType(), device ?? CPU);
        CopyInto(name, tensor);
        return tensor;
    }

    public void Dispose() => _map?.Dispose();
}
