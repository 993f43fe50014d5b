using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>Boolean attention masks for scaled_dot_product_attention (true = may attend).</summary>
public static class AttentionMasks
{
    /// <summary>
    /// The mask for <paramref name="newTokens"/> queries at positions pastLength…pastLength+newTokens−1 over all
    /// keys so far, [batch, 1, newTokens, keys]; causal, and hiding padded keys when <paramref name="keyIsReal"/>
    /// [batch, keys] is given. Every query may always see itself, so a padding row never has all keys masked (which
    /// would give NaN that then leaks through the padded positions' values).
    /// Returns null when no padding is involved and either one token is new (it sees everything) or nothing is cached
    /// (plain causal attention, which attention then asks of the kernel directly instead of materialising a mask).
    /// </summary>
    public static Tensor? Build(int pastLength, int newTokens, Tensor? keyIsReal, Device device)
    {
        if (keyIsReal is null && (newTokens == 1 || pastLength == 0))
            return null;
        using var scope = NewDisposeScope();
        var keys = pastLength + newTokens;
        var keyPositions = arange(keys, ScalarType.Int64, device).unsqueeze(0);
        var queryPositions = arange(pastLength, keys, ScalarType.Int64, device).unsqueeze(1);
        var mask = keyPositions.le(queryPositions).unsqueeze(0);
        if (keyIsReal is not null)
        {
            var self = keyPositions.eq(queryPositions).unsqueeze(0);
            mask = mask.logical_and(keyIsReal.to(ScalarType.Bool).unsqueeze(1)).logical_or(self);
        }
        return mask.unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The mask of packed rows, [batch, 1, T, T]: causal within a sample and nothing across samples, so packed samples
    /// never attend to each other (flash-attn varlen's semantics, as a mask). <paramref name="segmentIds"/> [batch, T]
    /// says which sample each position belongs to; give padding a distinct negative id per position, so it sees only
    /// itself and no row is fully masked.
    /// </summary>
    public static Tensor BlockDiagonalCausal(Tensor segmentIds)
    {
        ArgumentNullException.ThrowIfNull(segmentIds);
        using var scope = NewDisposeScope();
        var length = segmentIds.shape[1];
        var positions = arange(length, ScalarType.Int64, segmentIds.device);
        var causal = positions.unsqueeze(0).le(positions.unsqueeze(1)).unsqueeze(0);
        var sameSample = segmentIds.unsqueeze(2).eq(segmentIds.unsqueeze(1));
        return sameSample.logical_and(causal).unsqueeze(1).MoveToOuterDisposeScope();
    }
}
