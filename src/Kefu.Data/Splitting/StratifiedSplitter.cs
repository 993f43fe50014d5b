using Kefu.Data.Mixing;
using Kefu.Data.Records;

namespace Kefu.Data.Splitting;

/// <summary>
/// Splits per category so train and eval keep the mix: each category with at least two records gives
/// round(n × fraction) of them, but at least one, to eval, and always keeps at least one for training. Both
/// halves come out in a seeded shuffled order (the same seed gives the same files byte for byte).
/// </summary>
public static class StratifiedSplitter
{
    public static TrainEvalSplit Split(IReadOnlyList<DataRecord> records, double evalFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(evalFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(evalFraction, 1);
        var random = SeededRandom.For(seed, "split");
        var train = new List<DataRecord>();
        var eval = new List<DataRecord>();
        foreach (var group in records.GroupBy(r => r.Category).OrderBy(g => g.Key))
        {
            var members = group.ToList();
            random.Shuffle(members);
            var evalCount = 0;
            if (evalFraction > 0 && members.Count >= 2)
                evalCount = Math.Clamp((int)Math.Round(members.Count * evalFraction, MidpointRounding.AwayFromZero), 1, members.Count - 1);
            eval.AddRange(members.Take(evalCount));
            train.AddRange(members.Skip(evalCount));
        }
        random.Shuffle(train);
        random.Shuffle(eval);
        return new TrainEvalSplit(train, eval);
    }
}
