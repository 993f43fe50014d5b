using static TorchSharp.torch;

namespace Kefu.Model.Safetensors;

/// <summary>
/// A tensor to be written: its header facts up front, its values produced only when the writer reaches it, so a
/// checkpoint larger than memory (random 7B weights, a model being saved) streams out one tensor at a time.
/// Tensors that <paramref name="Produce"/> creates are disposed after writing; existing ones (parameters) are not.
/// </summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, Func<Tensor> Produce)
{
    public long ByteLength => Shape.Aggregate((long)DType.ElementSize(), (bytes, dim) => bytes * dim);

    /// <summary>An entry for an existing tensor, stored as <paramref name="dtype"/> (its own type when null).</summary>
    public static SafetensorsEntry FromTensor(string name, Tensor tensor, SafetensorsDType? dtype = null) =>
        new(name, dtype ?? SafetensorsDTypes.FromScalarType(tensor.dtype), tensor.shape, () => tensor);
}
