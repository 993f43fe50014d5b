using static TorchSharp.torch;

namespace Kefu.Model.Safetensors;

/// <summary>
/// Moves raw bytes between native memory and a CPU tensor's storage without an intermediate managed array.
/// TorchSharp exposes a tensor's storage as a <see cref="Span{T}"/> of at most 2 GB, so large tensors (the 7B
/// embedding is 2.2 GB in float32) are copied in slices of a flat view.
/// </summary>
internal static class TensorBytes
{
    private const long SliceBytes = 1L << 30;

    /// <summary>Copies <paramref name="length"/> bytes from <paramref name="source"/> into a contiguous CPU tensor of exactly that size.</summary>
    public static unsafe void CopyFrom(byte* source, long length, Tensor destination)
    {
        EnsureDirectlyAddressable(destination);
        if (destination.NumberOfElements * destination.ElementSize != length)
            throw new ArgumentException($"{length} bytes do not fill a tensor of {destination.NumberOfElements} x {destination.ElementSize} bytes.", nameof(length));
        ForEachSlice(destination, (slice, offset) => new ReadOnlySpan<byte>(source + offset, slice.Length).CopyTo(slice));
    }

    /// <summary>Writes the bytes of a contiguous CPU tensor to a stream.</summary>
    public static void WriteTo(Tensor source, Stream stream)
    {
        EnsureDirectlyAddressable(source);
        ForEachSlice(source, (slice, _) => stream.Write(slice));
    }

    /// <summary>
    /// The address of the first byte of a contiguous CPU tensor, valid while the tensor lives. Taken from a one-element
    /// view, because TorchSharp's byte span of the whole tensor stops at 2 GB.
    /// </summary>
    public static unsafe byte* DataPointer(Tensor tensor)
    {
        EnsureDirectlyAddressable(tensor);
        using var flat = tensor.view(-1);
        using var first = flat.narrow(0, 0, 1);
        return (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(first.bytes));
    }

    private delegate void SliceAction(Span<byte> slice, long byteOffset);

    private static void ForEachSlice(Tensor tensor, SliceAction action)
    {
        var total = tensor.NumberOfElements;
        if (total == 0)
            return;
        var elementSize = tensor.ElementSize;
        var sliceElements = Math.Max(1, SliceBytes / elementSize);
        using var scope = NewDisposeScope();
        var flat = tensor.view(-1);
        for (long start = 0; start < total; start += sliceElements)
        {
            using var slice = flat.narrow(0, start, Math.Min(sliceElements, total - start));
            action(slice.bytes, start * elementSize);
        }
    }

    private static void EnsureDirectlyAddressable(Tensor tensor)
    {
        if (tensor.device_type != TorchSharp.DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("Raw byte copies need a contiguous CPU tensor.", nameof(tensor));
    }
}
