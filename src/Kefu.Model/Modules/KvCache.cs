using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, preallocated for the whole generation
/// ([batch, kvHeads, capacity, headDim] per layer) so decoding writes one slot per step instead of concatenating.
/// Slots past <see cref="Length"/> are never read, so the memory is left uninitialised.
/// </summary>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;

    public KvCache(int layers, long batchSize, int kvHeads, int headDim, int capacity, ScalarType dtype, Device device)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        BatchSize = batchSize;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (var i = 0; i < layers; i++)
        {
            _keys[i] = empty([batchSize, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
            _values[i] = empty([batchSize, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>A cache shaped for <paramref name="config"/>.</summary>
    public static KvCache For(Qwen2Config config, long batchSize, int capacity, ScalarType dtype, Device device) =>
        new(config.NumHiddenLayers, batchSize, config.NumKeyValueHeads, config.HeadDim, capacity, dtype, device);

    /// <summary>How many positions are filled (the same for every row; left padding keeps rows aligned).</summary>
    public int Length { get; private set; }

    public int Capacity { get; }

    public long BatchSize { get; }

    /// <summary>
    /// Stores this step's keys and values [batch, kvHeads, newTokens, headDim] for one layer after the filled part,
    /// and returns views of everything filled so far including them.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        var added = (int)keys.shape[2];
        if (Length + added > Capacity)
            throw new InvalidOperationException($"The KV cache holds {Capacity} positions; {Length} are used and {added} more do not fit.");
        _keys[layer].narrow(2, Length, added).copy_(keys);
        _values[layer].narrow(2, Length, added).copy_(values);
        return (_keys[layer].narrow(2, 0, Length + added), _values[layer].narrow(2, 0, Length + added));
    }

    /// <summary>Marks <paramref name="added"/> more positions as filled; the model calls it once every layer has appended.</summary>
    public void Advance(int added) => Length += added;

    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values))
            tensor.Dispose();
    }
}
