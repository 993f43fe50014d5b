using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Where the samples of packed rows lie (training with packing): per row, the lengths of the samples laid end to end
/// from position 0; positions after the last sample are padding. Attention given a layout runs causally within each
/// sample and never across samples (flash-attn varlen's semantics), each sample through the kernel's own causal
/// path, so a packed row costs Σ Lᵢ² attention and no [T, T] mask in memory, instead of T² through a
/// block-diagonal mask (<see cref="AttentionMasks.BlockDiagonalCausal"/>, which gives the same numbers).
/// </summary>
public sealed class PackedLayout
{
    public PackedLayout(IReadOnlyList<IReadOnlyList<int>> sampleLengths, int rowLength)
    {
        ArgumentNullException.ThrowIfNull(sampleLengths);
        for (var row = 0; row < sampleLengths.Count; row++)
        {
            if (sampleLengths[row].Any(l => l < 1) || sampleLengths[row].Sum() > rowLength)
                throw new ArgumentException($"Row {row}: sample lengths must be positive and fit in {rowLength} positions.", nameof(sampleLengths));
        }
        SampleLengths = sampleLengths;
        RowLength = rowLength;
    }

    /// <summary>Per row, the lengths of its samples in order.</summary>
    public IReadOnlyList<IReadOnlyList<int>> SampleLengths { get; }

    /// <summary>Positions per row (T), padding included.</summary>
    public int RowLength { get; }

    /// <summary>
    /// Attention of q [B, heads, T, D] over k, v [B, kvHeads, T, D], sample by sample; padding positions get zeros
    /// (nothing attends to them and they are never targets). Returns [B, heads, T, D].
    /// </summary>
    internal Tensor Attend(Tensor q, Tensor k, Tensor v, int groups)
    {
        if (q.shape[0] != SampleLengths.Count || q.shape[2] != RowLength)
            throw new ArgumentException($"The layout is for {SampleLengths.Count} rows of {RowLength} positions, the input is [{string.Join(", ", q.shape)}].", nameof(q));
        using var scope = NewDisposeScope();
        var rows = new List<Tensor>(SampleLengths.Count);
        for (var row = 0; row < SampleLengths.Count; row++)
        {
            var pieces = new List<Tensor>();
            var start = 0;
            foreach (var length in SampleLengths[row])
            {
                var queries = q.narrow(0, row, 1).narrow(2, start, length);
                var keys = k.narrow(0, row, 1).narrow(2, start, length);
                var values = v.narrow(0, row, 1).narrow(2, start, length);
                if (groups > 1)
                {
                    keys = keys.repeat_interleave(groups, dim: 1);
                    values = values.repeat_interleave(groups, dim: 1);
                }
                pieces.Add(nn.functional.scaled_dot_product_attention(queries, keys, values, is_casual: true));
                start += length;
            }
            if (start < RowLength)
                pieces.Add(zeros([1, q.shape[1], RowLength - start, q.shape[3]], q.dtype, q.device));
            rows.Add(pieces.Count == 1 ? pieces[0] : cat(pieces, dim: 2));
        }
        return (rows.Count == 1 ? rows[0] : cat(rows, dim: 0)).MoveToOuterDisposeScope();
    }
}
