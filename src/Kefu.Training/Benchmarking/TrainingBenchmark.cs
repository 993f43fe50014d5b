using System.Diagnostics;
using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Training.Data;
using Kefu.Training.Optimization;
using Kefu.Training.Running;

namespace Kefu.Training.Benchmarking;

/// <summary>What <see cref="TrainingBenchmark.Run"/> measured for one setting.</summary>
public sealed record TrainingBenchmarkResult
{
    public required bool GradientCheckpointing { get; init; }
    public required int BatchSize { get; init; }
    public required int SequenceLength { get; init; }
    public required int TimedSteps { get; init; }
    public required long TrainableParameters { get; init; }
    public required double SecondsPerStep { get; init; }

    /// <summary>The fastest timed step: on a shared machine the least disturbed by other work.</summary>
    public required double BestSecondsPerStep { get; init; }
    public required double TokensPerSecond { get; init; }
    public required TrainingFlops FlopsPerStep { get; init; }
    public required double ModelFlopsPerSecond { get; init; }
    /// <summary>A large matmul's FLOP/s in the model's compute type, measured in the same process: the MFU ceiling.</summary>
    public required double GemmFlopsPerSecond { get; init; }

    /// <summary>The same matmul in float32 (on CPUs with bfloat16 matrix units the two differ several-fold).</summary>
    public double Float32GemmFlopsPerSecond { get; init; }

    public string DType { get; init; } = "";

    /// <summary>Model FLOP/s over the measured GEMM FLOP/s, in [0, 1].</summary>
    public double Mfu => ModelFlopsPerSecond / GemmFlopsPerSecond;

    /// <summary>MFU of the fastest step.</summary>
    public double BestStepMfu => FlopsPerStep.Model / BestSecondsPerStep / GemmFlopsPerSecond;
    public required long PeakResidentBytes { get; init; }
    public required long PeakAboveStartBytes { get; init; }
    public required double FinalLoss { get; init; }
}

/// <summary>
/// A few LoRA training steps on random tokens (loss on the second half of each sample, like an answer after its
/// prompt), timed after one warm-up step: the same forward/backward/clip/AdamW path as <c>kefu train</c>.
/// </summary>
public static class TrainingBenchmark
{
    public static TrainingBenchmarkResult Run(Qwen2ForCausalLM model, LoraSettings lora, int sequenceLength, int batchSize, int steps,
        bool gradientCheckpointing, double gemmFlopsPerSecond, long startResidentBytes, long seed = 42)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(sequenceLength, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        var recipe = TrainingRecipes.Default with
        {
            Name = "bench", BatchSize = batchSize, GradientAccumulation = 1, GradientCheckpointing = gradientCheckpointing, Lora = lora, Seed = seed,
        };
        var random = new Random((int)seed);
        var batches = Enumerable.Range(0, steps + 1).Select(step => (IReadOnlyList<SftExample>)Enumerable.Range(0, batchSize)
            .Select(row => Synthetic($"bench-{step}-{row}", sequenceLength, model.Config.VocabSize, random)).ToList()).ToList();

        using var adapter = LoraAdapter.Attach(model, recipe.ToLoraConfig(null), seed);
        try
        {
            var scratch = Path.Combine(Path.GetTempPath(), "kefu-bench-train-" + Guid.NewGuid().ToString("N")[..8]);
            var trainer = new LoraTrainer(model, adapter, SftDataset.FromExamples(batches.SelectMany(b => b).ToList()), recipe, scratch,
                new TrainerOptions { Plot = false });
            using var optimizer = new AdamW(adapter.TrainableParameters(), weightDecay: recipe.WeightDecay);
            double loss = 0;
            var times = new List<double>();
            for (var step = 0; step <= steps; step++)
            {
                var clock = Stopwatch.StartNew();
                (loss, _, _) = trainer.Step([batches[step]], step);
                optimizer.Step(recipe.LearningRate);
                if (step > 0) // step 0 warms up allocator and kernels
                    times.Add(clock.Elapsed.TotalSeconds);
            }
            var targets = batches[1].Sum(e => e.TargetCount);
            var flops = TrainingFlops.Count(model, adapter, batchSize, sequenceLength, targets, gradientCheckpointing);
            var seconds = times.Average();
            var peak = ResidentMemory.Peak();
            return new TrainingBenchmarkResult
            {
                GradientCheckpointing = gradientCheckpointing,
                BatchSize = batchSize,
                SequenceLength = sequenceLength,
                TimedSteps = steps,
                TrainableParameters = adapter.ParameterCount,
                SecondsPerStep = seconds,
                BestSecondsPerStep = times.Min(),
                TokensPerSecond = (double)batchSize * sequenceLength / seconds,
                FlopsPerStep = flops,
                ModelFlopsPerSecond = flops.Model / seconds,
                GemmFlopsPerSecond = gemmFlopsPerSecond,
                PeakResidentBytes = peak,
                PeakAboveStartBytes = peak - startResidentBytes,
                FinalLoss = loss,
            };
        }
        finally
        {
            adapter.Detach();
        }
    }

    private static SftExample Synthetic(string id, int length, int vocabulary, Random random)
    {
        var ids = Enumerable.Range(0, length).Select(_ => random.Next(vocabulary)).ToArray();
        return new SftExample(id, "bench", ids, ids.Select((_, i) => i >= length / 2).ToArray());
    }
}
