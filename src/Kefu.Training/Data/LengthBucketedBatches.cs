namespace Kefu.Training.Data;

/// <summary>
/// The batches of one epoch: shuffled by a seed, then sorted by length within windows of a few dozen batches and
/// cut, so a batch pads little while the order stays random; the batch order is shuffled again. The same seed and
/// epoch always give the same plan, which is what lets a resumed run continue on the exact next batch.
/// </summary>
public static class LengthBucketedBatches
{
    private const int BatchesPerWindow = 16;

    /// <summary>Indices into <paramref name="lengths"/>, batch by batch.</summary>
    public static IReadOnlyList<int[]> Plan(IReadOnlyList<int> lengths, int batchSize, long seed, int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var random = new Random(unchecked((int)(seed * 7919 + epoch * 104_729)));
        var order = Enumerable.Range(0, lengths.Count).ToArray();
        random.Shuffle(order);
        var batches = new List<int[]>();
        var window = batchSize * BatchesPerWindow;
        for (var start = 0; start < order.Length; start += window)
        {
            var sorted = order.Skip(start).Take(window).OrderBy(i => lengths[i]).ThenBy(i => i).ToArray();
            for (var b = 0; b < sorted.Length; b += batchSize)
                batches.Add(sorted.Skip(b).Take(batchSize).ToArray());
        }
        var shuffled = batches.ToArray();
        random.Shuffle(shuffled);
        return shuffled;
    }
}
