using Kefu.Training.Benchmarking;
using Kefu.Training.Data;
using Kefu.Training.Running;

namespace Kefu.Training.Tests;

public sealed class PackingBenchmarkTests
{
    [Fact]
    public void Run_OverWholePlans_CountsEverySampleTokenAndThePaddingOfEachMode()
    {
        using var model = TrainingFixtures.CreateModel(seed: 1);
        var samples = TrainingFixtures.FaqPairs(16, seed: 3);
        var total = samples.Sum(s => (long)s.Length);
        var buckets = LengthBucketedBatches.Plan(samples.Select(s => s.Length).ToList(), 4, seed: 42, epoch: 0);
        var rows = SequencePacking.Rows(samples, 48).Count;
        // A whole number of passes over both plans: the warm-up step is plan[0] and the timed steps wrap round to it.
        var steps = buckets.Count * rows;
        var bucketPadding = buckets.Sum(b => b.Length * (long)b.Max(i => samples[i].Length) - b.Sum(i => (long)samples[i].Length));

        var results = PackingBenchmark.Run(model, new LoraSettings { Rank = 4, Alpha = 8 }, samples, batchSize: 4, packedRowsPerStep: 1, packingLength: 48, steps);

        var (bucketed, packed) = (results[0], results[1]);
        bucketed.Mode.ShouldBe("bucketed");
        packed.Mode.ShouldBe("packed");
        bucketed.RealTokens.ShouldBe(total * (steps / buckets.Count));
        packed.RealTokens.ShouldBe(total * (steps / rows));
        bucketPadding.ShouldBeGreaterThan(0, "the fixture's lengths vary within a batch");
        bucketed.PaddingTokens.ShouldBe(bucketPadding * (steps / buckets.Count));
        packed.PaddingTokens.ShouldBe(0); // one row per step: nothing to pad it to
        packed.RealTokensPerSecond.ShouldBeGreaterThan(0);
        bucketed.RealTokensPerSecond.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Run_PackingLengthShorterThanASample_NamesTheOption()
    {
        using var model = TrainingFixtures.CreateModel(seed: 1);
        var samples = TrainingFixtures.FaqPairs(4, seed: 3);

        var error = Should.Throw<ArgumentException>(() => PackingBenchmark.Run(model, new LoraSettings { Rank = 4, Alpha = 8 }, samples, 2, 1, packingLength: 5, steps: 1));

        error.Message.ShouldContain("--packing-length 5");
    }
}
