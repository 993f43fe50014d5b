using Kefu.Model.Modules;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Training.Running;

/// <summary>
/// Summed next-token cross-entropy over the assistant tokens of a right-padded batch. Only target positions are
/// projected to the vocabulary: with 152k-word vocabularies the logits of every position would dominate memory,
/// and prompt positions carry no loss. Right padding needs no mask: causal attention never lets a real token
/// see the padding after it, and padded positions are never targets.
/// </summary>
public static class CausalLmLoss
{
    /// <summary>The loss summed over targets (float32 scalar), with the batch's target and token counts.</summary>
    public static (Tensor LossSum, int Targets, int Tokens) Sum(Qwen2ForCausalLM model, IReadOnlyList<SftExample> batch)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var prepared = Prepare(model, batch);
        var hidden = model.Model.forward(prepared.InputIds, prepared.PositionIds, mask: null, cache: null);
        var loss = FromHidden(model, hidden, prepared);
        return (loss.MoveToOuterDisposeScope(), prepared.Targets, prepared.Tokens);
    }

    /// <summary>The batch as tensors: ids and positions [B, T], the flat indices of target positions and their labels.</summary>
    internal static PreparedBatch Prepare(Qwen2ForCausalLM model, IReadOnlyList<SftExample> batch)
    {
        var length = batch.Max(e => e.Length);
        var ids = new long[batch.Count * length];
        var positions = new List<long>();
        var labels = new List<long>();
        for (var row = 0; row < batch.Count; row++)
        {
            var example = batch[row];
            for (var i = 0; i < example.Length; i++)
            {
                ids[row * length + i] = example.InputIds[i];
                if (i + 1 < example.Length && example.LossMask[i + 1])
                {
                    positions.Add(row * length + i);
                    labels.Add(example.InputIds[i + 1]);
                }
            }
        }
        var device = model.Device;
        var input = tensor(ids, [batch.Count, length], device: device);
        var positionIds = arange(length, ScalarType.Int64, device).unsqueeze(0).expand(batch.Count, length);
        return positions.Count == 0
            ? new PreparedBatch(input, positionIds, null, null, 0, batch.Sum(e => e.Length))
            : new PreparedBatch(input, positionIds, tensor(positions.ToArray(), device: device), tensor(labels.ToArray(), device: device),
                positions.Count, batch.Sum(e => e.Length));
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

    internal sealed record PreparedBatch(Tensor InputIds, Tensor PositionIds, Tensor? TargetPositions, Tensor? Labels, int Targets, int Tokens);
}
