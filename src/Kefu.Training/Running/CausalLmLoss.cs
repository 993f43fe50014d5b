using Kefu.Model.Modules;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Training.Running;

/// <summary>
/// Summed next-token cross-entropy over the assistant tokens of a right-padded batch. Only target positions are
/// projected to the vocabulary: with 152k-word vocabularies the logits of every position would dominate memory,
/// and prompt positions carry no loss. Rows of one sample need no mask: causal attention never lets a real token
/// see the padding after it, and padded positions are never targets. Packed rows (several samples end to end) get
/// a <see cref="PackedLayout"/> (attention within each sample only: a block-diagonal causal mask, computed sample by
/// sample) and positions that restart at 0 per sample, and a sample's last token predicts nothing, so each sample's
/// loss is what it would be alone.
/// </summary>
public static class CausalLmLoss
{
    /// <summary>The loss summed over targets (float32 scalar), with the batch's target and token counts.</summary>
    public static (Tensor LossSum, int Targets, int Tokens) Sum(Qwen2ForCausalLM model, IReadOnlyList<SftExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return Sum(model, batch.Select(PackedSequence.Single).ToList());
    }

    /// <inheritdoc cref="Sum(Qwen2ForCausalLM, IReadOnlyList{SftExample})"/>
    public static (Tensor LossSum, int Targets, int Tokens) Sum(Qwen2ForCausalLM model, IReadOnlyList<PackedSequence> rows)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var prepared = Prepare(model, rows);
        var hidden = model.Model.forward(prepared.InputIds, prepared.PositionIds, mask: null, cache: null, prepared.Layout);
        var loss = FromHidden(model, hidden, prepared);
        return (loss.MoveToOuterDisposeScope(), prepared.Targets, prepared.Tokens);
    }

    /// <summary>
    /// The batch as tensors: ids and positions [B, T], the packed layout (null unless a row is packed), the flat
    /// indices of target positions and their labels.
    /// </summary>
    internal static PreparedBatch Prepare(Qwen2ForCausalLM model, IReadOnlyList<PackedSequence> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var length = rows.Max(r => r.Length);
        var packed = rows.Any(r => r.Samples.Count > 1);
        var ids = new long[rows.Count * length];
        var positionIds = new long[rows.Count * length];
        var positions = new List<long>();
        var labels = new List<long>();
        for (var row = 0; row < rows.Count; row++)
        {
            var offset = row * length;
            var cursor = 0;
            for (var s = 0; s < rows[row].Samples.Count; s++)
            {
                var example = rows[row].Samples[s];
                for (var i = 0; i < example.Length; i++, cursor++)
                {
                    ids[offset + cursor] = example.InputIds[i];
                    positionIds[offset + cursor] = i;
                    if (i + 1 < example.Length && example.LossMask[i + 1])
                    {
                        positions.Add(offset + cursor);
                        labels.Add(example.InputIds[i + 1]);
                    }
                }
            }
            for (; cursor < length; cursor++)
            {
                // Unpacked rows keep counting (as before); padding is never a target, and nothing attends to it.
                positionIds[offset + cursor] = packed ? 0 : cursor;
            }
        }
        var device = model.Device;
        var input = tensor(ids, [rows.Count, length], device: device);
        var positionTensor = tensor(positionIds, [rows.Count, length], device: device);
        var layout = packed ? new PackedLayout(rows.Select(r => (IReadOnlyList<int>)r.Samples.Select(s => s.Length).ToList()).ToList(), length) : null;
        var tokens = rows.Sum(r => r.Length);
        return positions.Count == 0
            ? new PreparedBatch(input, positionTensor, layout, null, null, 0, tokens)
            : new PreparedBatch(input, positionTensor, layout, tensor(positions.ToArray(), device: device), tensor(labels.ToArray(), device: device),
                positions.Count, tokens);
    }

    /// <summary>The summed loss from the final (normed) hidden states [B, T, hidden].</summary>
    internal static Tensor FromHidden(Qwen2ForCausalLM model, Tensor hidden, PreparedBatch batch)
    {
        if (batch.TargetPositions is null || batch.Labels is null)
            return (hidden.sum() * 0).to(ScalarType.Float32);
        var selected = hidden.reshape(-1, hidden.shape[2]).index_select(0, batch.TargetPositions);
        var logits = nn.functional.linear(selected, model.OutputWeight).to(ScalarType.Float32);
        return nn.functional.cross_entropy(logits, batch.Labels, reduction: nn.Reduction.Sum);
    }

    internal sealed record PreparedBatch(Tensor InputIds, Tensor PositionIds, PackedLayout? Layout, Tensor? TargetPositions, Tensor? Labels, int Targets, int Tokens);
}
