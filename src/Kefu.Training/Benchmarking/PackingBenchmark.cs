using System.Diagnostics;
using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Training.Data;
using Kefu.Training.Optimization;
using Kefu.Training.Running;

namespace Kefu.Training.Benchmarking;

/// <summary>One batching mode's figures from <see cref="PackingBenchmark.Run"/>.</summary>
public sealed record PackingBenchmarkResult
{
    /// <summary>"bucketed" (one sample per row, rows grouped by length) or "packed".</summary>
    public required string Mode { get; init; }
    public required int RowsPerStep { get; init; }

    /// <summary>Tokens per packed row, or null for bucketed batches.</summary>
    public int? PackingLength { get; init; }
    public required int TimedSteps { get; init; }

    /// <summary>Sample tokens trained on in the timed steps: what a run actually learns from.</summary>
    public required long RealTokens { get; init; }

    /// <summary>Padding the timed steps' batches carried (rows × longest row − real tokens).</summary>
    public required long PaddingTokens { get; init; }
    public required double Seconds { get; init; }
    public double RealTokensPerSecond => RealTokens / Seconds;
    public double PaddingFraction => (double)PaddingTokens / (RealTokens + PaddingTokens);
}

/// <summary>
/// Packing against length-bucketed batches on a real dataset's samples, in one process and on one model, so the
/// ratio is fair on a noisy machine: the modes take turns, step by step, over plans drawn from the same shuffled
/// samples (after one untimed warm-up step each), and each is judged by the sample tokens per second it gets through. Random fixed-length
/// data (<see cref="TrainingBenchmark"/>) can't show this: packing pays only where lengths vary.
/// </summary>
public static class PackingBenchmark
{
    public static IReadOnlyList<PackingBenchmarkResult> Run(Qwen2ForCausalLM model, LoraSettings lora, IReadOnlyList<SftExample> samples,
        int batchSize, int packedRowsPerStep, int packingLength, int steps, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (samples.Count == 0)
            throw new ArgumentException("The dataset has no training samples to benchmark.", nameof(samples));
        var longest = samples.Max(s => s.Length);
        if (packingLength < longest)
            throw new ArgumentException($"--packing-length {packingLength} is shorter than the longest sample ({longest} tokens).", nameof(packingLength));

        var recipe = TrainingRecipes.Default with { Name = "bench-packing", BatchSize = batchSize, GradientAccumulation = 1, Lora = lora, Seed = seed };
        var shuffled = samples.ToList();
        new Random((int)seed).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(shuffled));

        var bucketed = LengthBucketedBatches.Plan(shuffled.Select(s => s.Length).ToList(), batchSize, seed, epoch: 0)
            .Select(batch => (IReadOnlyList<PackedSequence>)batch.Select(i => PackedSequence.Single(shuffled[i])).ToList()).ToList();
        var rows = SequencePacking.Rows(shuffled, packingLength);
        var packed = rows.Chunk(packedRowsPerStep).Select(chunk => (IReadOnlyList<PackedSequence>)chunk.ToList()).ToList();

        using var adapter = LoraAdapter.Attach(model, recipe.ToLoraConfig(null), seed);
        try
        {
            var trainer = new LoraTrainer(model, adapter, SftDataset.FromExamples(shuffled), recipe,
                Path.Combine(Path.GetTempPath(), "kefu-bench-packing-unused"), new TrainerOptions { Plot = false });
            using var optimizer = new AdamW(adapter.TrainableParameters(), weightDecay: recipe.WeightDecay);
            var modes = new[] { new ModeTally(bucketed), new ModeTally(packed) };
            // Steps alternate between the modes, so a burst of other work on a shared machine slows both alike.
            for (var step = 0; step <= steps; step++)
            {
                foreach (var mode in modes)
                {
                    var batch = mode.Plan[step % mode.Plan.Count];
                    var clock = Stopwatch.StartNew();
                    trainer.Step([batch], step);
                    optimizer.Step(recipe.LearningRate);
                    if (step > 0) // step 0 warms the allocator and kernels for each mode's shapes
                        mode.Add(batch, clock.Elapsed.TotalSeconds);
                }
            }
            return
            [
                modes[0].Result("bucketed", batchSize, null),
                modes[1].Result("packed", packedRowsPerStep, packingLength),
            ];
        }
        finally
        {
            adapter.Detach();
        }
    }

    private sealed class ModeTally(List<IReadOnlyList<PackedSequence>> plan)
    {
        private long _real, _padding;
        private int _steps;
        private double _seconds;

        public List<IReadOnlyList<PackedSequence>> Plan { get; } = plan;

        public void Add(IReadOnlyList<PackedSequence> batch, double seconds)
        {
            var tokens = batch.Sum(r => (long)r.Length);
            _real += tokens;
            _padding += (long)batch.Count * batch.Max(r => r.Length) - tokens;
            _steps++;
            _seconds += seconds;
        }

        public PackingBenchmarkResult Result(string mode, int rowsPerStep, int? length) => new()
        {
            Mode = mode, RowsPerStep = rowsPerStep, PackingLength = length, TimedSteps = _steps,
            RealTokens = _real, PaddingTokens = _padding, Seconds = _seconds,
        };
    }
}
