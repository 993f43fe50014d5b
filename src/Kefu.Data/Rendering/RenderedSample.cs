using Kefu.Data.Records;

namespace Kefu.Data.Rendering;

/// <summary>A record rendered through the chat template: token ids and the loss mask (true on assistant tokens).</summary>
public sealed record RenderedSample(DataRecord Record, int[] InputIds, bool[] LossMask)
{
    public int Length => InputIds.Length;

    /// <summary>Tokens the loss is computed on.</summary>
    public int TrainedTokens => LossMask.Count(m => m);
}
