using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Testing;
using Kefu.Training.Data;
using Kefu.Training.Running;
using static TorchSharp.torch;

namespace Kefu.Training.Tests;

public sealed class PackingTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Step_PackedRows_GiveTheLossAndGradientsOfEachSampleTrainedAlone(bool checkpointing)
    {
        var samples = TrainingFixtures.FaqPairs(5, seed: 13);
        // Two packed rows of different lengths, so the second is padded too.
        List<PackedSequence> packed = [new([samples[0], samples[1], samples[2]]), new([samples[3], samples[4]])];
        var (packedLoss, packedGrads) = Gradients(trainer => trainer.Step([packed], globalStep: 0), checkpointing);
        // Each sample alone in its own micro-batch: nothing padded, nothing shared.
        var (aloneLoss, aloneGrads) = Gradients(trainer => trainer.Step(samples.Select(s => (IReadOnlyList<SftExample>)[s]).ToList(), globalStep: 0), checkpointing);

        packedLoss.ShouldBe(aloneLoss, tolerance: 1e-5);
        packedGrads.Count.ShouldBe(aloneGrads.Count);
        for (var i = 0; i < aloneGrads.Count; i++)
            TrainingFixtures.MaxDifference(packedGrads[i], aloneGrads[i]).ShouldBeLessThan(1e-5);
        aloneGrads.Max(g => g.abs().max().item<float>()).ShouldBeGreaterThan(1e-4f);
    }

    [Fact]
    public void Sum_PackedRow_EqualsTheSummedLossesOfItsSamples()
    {
        using var model = TrainingFixtures.CreateModel();
        model.eval();
        using var noGrad = no_grad();
        var samples = TrainingFixtures.FaqPairs(4, seed: 5);
        var (packed, packedTargets, packedTokens) = CausalLmLoss.Sum(model, [new PackedSequence(samples)]);
        var alone = samples.Select(s => CausalLmLoss.Sum(model, [s])).ToList();

        packedTargets.ShouldBe(samples.Sum(s => s.TargetCount));
        packedTokens.ShouldBe(samples.Sum(s => s.Length));
        packed.item<float>().ShouldBe(alone.Sum(a => a.LossSum.item<float>()), tolerance: 1e-4 * packedTargets);
    }

    [Fact]
    public void Logits_SamplePackedAfterAnother_AreTheSameAsAlone()
    {
        using var model = TrainingFixtures.CreateModel();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = [LoraConfig.AllLinear] }, seed: 3);
        using (no_grad())
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.fill_(0.05f);
        }
        model.eval();
        using var noGrad = no_grad();
        var samples = TrainingFixtures.FaqPairs(3, seed: 8);
        var second = samples[1];

        var alone = Logits(model, [PackedSequence.Single(second)]);
        // Row 0 packs two samples before it; row 1 is shorter and padded, and must not disturb row 0.
        var packed = Logits(model, [new PackedSequence([samples[0], samples[2], second]), PackedSequence.Single(samples[0])]);
        var offset = samples[0].Length + samples[2].Length;

        var fromPacked = packed[0].narrow(0, offset, second.Length);
        TrainingFixtures.MaxDifference(fromPacked, alone[0]).ShouldBeLessThan(1e-5);
        var firstAlone = Logits(model, [PackedSequence.Single(samples[0])]);
        TrainingFixtures.MaxDifference(packed[1].narrow(0, 0, samples[0].Length), firstAlone[0]).ShouldBeLessThan(1e-5);
        // The block-diagonal mask through the plain attention path gives the same logits, with padding in row 1.
        var masked = LogitsThroughMask(model, [new PackedSequence([samples[0], samples[2], second]), PackedSequence.Single(samples[0])]);
        TrainingFixtures.MaxDifference(masked[0], packed[0]).ShouldBeLessThan(1e-5);
        TrainingFixtures.MaxDifference(masked[1].narrow(0, 0, samples[0].Length), packed[1].narrow(0, 0, samples[0].Length)).ShouldBeLessThan(1e-5);
        // Without either, the same row attends across samples and differs.
        using var leaky = LogitsThroughMask(model, [new PackedSequence([samples[0], samples[2], second])], useMask: false)[0];
        TrainingFixtures.MaxDifference(leaky.narrow(0, offset, second.Length), alone[0]).ShouldBeGreaterThan(1e-3);
    }

    [Fact]
    public void BlockDiagonalCausal_SegmentsAndPadding_SeeOnlyEarlierTokensOfTheirOwnSample()
    {
        using var segments = tensor(new long[] { 0, 0, 1, 1, 1, -6 }, [1, 6]);
        using var mask = AttentionMasks.BlockDiagonalCausal(segments);

        mask.shape.ShouldBe([1, 1, 6, 6]);
        var rows = Enumerable.Range(0, 6).Select(q => string.Concat(Enumerable.Range(0, 6).Select(k => mask[0, 0, q, k].item<bool>() ? '1' : '0'))).ToList();
        rows.ShouldBe(["100000", "110000", "001000", "001100", "001110", "000001"]);
    }

    [Fact]
    public void Pack_EverySampleOnce_RowsWithinCapacity_FewerRowsThanSamples_Deterministic()
    {
        var lengths = Enumerable.Range(0, 41).Select(i => (i * 37) % 90 + 10).Append(300).ToList();
        var rows = SequencePacking.Pack(lengths, capacity: 256);

        rows.SelectMany(r => r).Order().ShouldBe(Enumerable.Range(0, lengths.Count));
        rows.ShouldAllBe(r => r.Length == 1 || r.Sum(i => lengths[i]) <= 256);
        rows.ShouldContain(r => r.Length == 1 && lengths[r[0]] == 300);
        // Best-fit decreasing is within 22 % of the ideal row count (11/9·OPT + 6/9).
        var ideal = Math.Ceiling(lengths.Where(l => l <= 256).Sum() / 256.0) + 1;
        rows.Count.ShouldBeLessThanOrEqualTo((int)Math.Ceiling(ideal * 11 / 9 + 1));
        SequencePacking.Pack(lengths, 256).ShouldBe(rows);
    }

    [Fact]
    public void Trainer_WithPacking_TrainsFewerRowsOfTheSameTokensAndLearns()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(24, seed: 4), TrainingFixtures.FaqPairs(3, seed: 5));
        var recipe = TrainingRecipes.Default with
        {
            LearningRate = 1e-2, Epochs = 15, BatchSize = 2, GradientAccumulation = 1, EvalEvery = 0, SaveEvery = 0, Packing = true,
            Lora = new LoraSettings { Rank = 8, Alpha = 16, Dropout = 0 },
        };
        using var run = TrainingRun.Open(temp.File("model"), temp.File("data"), temp.File("out"), recipe, new TrainerOptions { Plot = false });

        // The fixture's dataset.json says cutoff 64: rows of up to 64 tokens, about four samples each.
        run.Trainer.PackingLength.ShouldBe(64);
        var packed = run.Trainer.Padding();
        var unpacked = run.Trainer.Padding(packed: false);
        packed.Rows.ShouldBeLessThan(unpacked.Rows / 2);
        packed.Tokens.ShouldBe(unpacked.Tokens);
        packed.Slots.ShouldBeGreaterThanOrEqualTo(packed.Tokens);
        run.Trainer.StageSteps().Single().ShouldBe(15 * (int)Math.Ceiling(packed.Rows / 2.0));

        var summary = run.Run(TestContext.Current.CancellationToken);
        var log = Kefu.Training.Reporting.TrainingLog.Read(temp.File("out/train_log.jsonl")).Where(e => e.Kind == "train").ToList();
        log.Last().Loss!.Value.ShouldBeLessThan(log.First().Loss!.Value / 2);
        summary.Tokens.ShouldBe(15 * unpacked.Tokens);
    }

    private static (double Loss, List<Tensor> Grads) Gradients(Func<LoraTrainer, (double Loss, double GradNorm, long Tokens)> step, bool checkpointing)
    {
        using var temp = new TempDirectory();
        using var model = TrainingFixtures.CreateModel();
        var recipe = TrainingRecipes.Default with
        {
            BatchSize = 2, GradientAccumulation = 1, MaxGradNorm = 0, GradientCheckpointing = checkpointing, Lora = new LoraSettings { Dropout = 0 },
        };
        using var adapter = LoraAdapter.Attach(model, recipe.ToLoraConfig(null), seed: 5);
        using (no_grad())
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.fill_(0.05f);
        }
        var trainer = new LoraTrainer(model, adapter, SftDataset.FromExamples(TrainingFixtures.FaqPairs(5, seed: 13)), recipe, temp.Path);
        var (loss, _, _) = step(trainer);
        return (loss, adapter.TrainableParameters().Select(p => p.grad!.clone()).ToList());
    }

    /// <summary>Logits [T, vocab] of each row.</summary>
    private static List<Tensor> Logits(Qwen2ForCausalLM model, IReadOnlyList<PackedSequence> rows)
    {
        var prepared = CausalLmLoss.Prepare(model, rows);
        using var hidden = model.Model.forward(prepared.InputIds, prepared.PositionIds, mask: null, cache: null, prepared.Layout);
        using var logits = nn.functional.linear(hidden, model.OutputWeight);
        return Enumerable.Range(0, rows.Count).Select(r => logits[r].clone()).ToList();
    }

    /// <summary>Logits of packed rows through a block-diagonal mask (padding: an id per position, so it sees only itself).</summary>
    private static List<Tensor> LogitsThroughMask(Qwen2ForCausalLM model, IReadOnlyList<PackedSequence> rows, bool useMask = true)
    {
        var prepared = CausalLmLoss.Prepare(model, rows);
        var length = (int)prepared.InputIds.shape[1];
        var segments = rows.SelectMany(r => r.Samples.SelectMany((s, index) => Enumerable.Repeat((long)index, s.Length))
            .Concat(Enumerable.Range(r.Length, length - r.Length).Select(p => -1L - p))).ToArray();
        using var segmentIds = tensor(segments, [rows.Count, length]);
        using var mask = AttentionMasks.BlockDiagonalCausal(segmentIds);
        using var hidden = model.Model.forward(prepared.InputIds, prepared.PositionIds, useMask ? mask : null, cache: null);
        using var logits = nn.functional.linear(hidden, model.OutputWeight);
        return Enumerable.Range(0, rows.Count).Select(r => logits[r].clone()).ToList();
    }
}
