namespace Kefu.Training.Data;

/// <summary>
/// One rendered conversation from train.jsonl / eval.jsonl: its token ids and, per token, whether it is an
/// assistant token the loss is computed on. Position i predicts token i + 1, so it is a target when LossMask[i + 1].
/// </summary>
public sealed record SftExample(string Id, string Category, int[] InputIds, bool[] LossMask)
{
    public int Length => InputIds.Length;

    /// <summary>Number of predicted tokens (positions whose next token is an assistant token).</summary>
    public int TargetCount => LossMask.Skip(1).Count(m => m);
}
