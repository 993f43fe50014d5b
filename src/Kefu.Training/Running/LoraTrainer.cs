using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Training.Data;
using Kefu.Training.Optimization;
using Kefu.Training.Reporting;
using static TorchSharp.torch;

namespace Kefu.Training.Running;

/// <summary>
/// Trains a LoRA adapter on rendered SFT samples. Each optimizer step takes gradient_accumulation micro-batches and
/// divides their summed token losses by the number of target tokens in all of them together, so the gradient is the
/// same as one big batch's (dividing each micro-batch by its own count, then averaging, weights short answers
/// more — the bug several trainers shipped). Then clipping, the schedule's rate, AdamW. A micro-batch holds
/// batch_size rows: one sample each, or with packing several samples each (<see cref="SequencePacking"/>), which
/// train exactly as they would alone.
/// </summary>
public sealed class LoraTrainer
{
    private readonly Qwen2ForCausalLM _model;
    private readonly LoraAdapter _adapter;
    private readonly SftDataset _data;
    private readonly TrainingRecipe _recipe;
    private readonly string _output;
    private readonly TrainerOptions _options;

    public LoraTrainer(Qwen2ForCausalLM model, LoraAdapter adapter, SftDataset data, TrainingRecipe recipe, string outputDirectory, TrainerOptions? options = null)
    {
        _model = model;
        _adapter = adapter;
        _data = data;
        _recipe = recipe;
        _output = outputDirectory;
        _options = options ?? new TrainerOptions();
        recipe.Validate();
    }

    /// <summary>Optimizer steps each stage takes (before --max-steps).</summary>
    public IReadOnlyList<int> StageSteps() => _recipe.EffectiveStages().Select(s => StepsPerEpoch(Rows(Examples(s)).Count) * s.Epochs).ToList();

    /// <summary>Tokens per packed row when the recipe packs: packing_length, else the dataset's cutoff, else its longest sample.</summary>
    public int? PackingLength => _recipe.Packing ? PackCapacity() : null;

    /// <summary>
    /// The padding of every stage's first epoch, as the recipe batches it (<paramref name="packed"/> null) or
    /// with packing forced on or off, to compare.
    /// </summary>
    public PaddingStatistics Padding(bool? packed = null)
    {
        var capacity = packed switch
        {
            null => PackingLength,
            true => PackCapacity(),
            false => null,
        };
        var stages = _recipe.EffectiveStages();
        var samples = 0;
        var batches = new List<IReadOnlyList<int>>();
        for (var stageIndex = 0; stageIndex < stages.Count; stageIndex++)
        {
            var examples = Examples(stages[stageIndex]);
            var rows = SequencePacking.Rows(examples, capacity);
            samples += examples.Count;
            batches.AddRange(Plan(rows, stageIndex, epoch: 0).Select(b => (IReadOnlyList<int>)b.Select(r => r.Length).ToList()));
        }
        return PaddingStatistics.Measure(samples, batches);
    }

    public TrainingSummary Run(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(_output);
        var stages = _recipe.EffectiveStages();
        var batchPlan = BatchPlan.For(_recipe, PackingLength, stages.Select(s => (s, (IReadOnlyList<SftExample>)Examples(s))).ToList());
        var state = new TrainerState { RecipeName = _recipe.Name, Seed = _recipe.Seed, BatchPlan = batchPlan };
        string? checkpoint = null;
        if (_options.Resume && TrainerCheckpoint.Latest(_output) is { } latest)
        {
            checkpoint = latest;
            state = TrainerCheckpoint.ReadState(latest);
            state.BatchPlan?.RequireSameAs(batchPlan, Path.Combine(latest, TrainerState.FileName));
            state = state with { BatchPlan = batchPlan };
            _adapter.LoadWeights(latest);
        }
        var stageSteps = StageSteps();
        var totalSteps = Math.Min(stageSteps.Sum(), _options.MaxSteps ?? int.MaxValue);
        var started = _options.Time.GetTimestamp();
        var startTokens = state.TokensSeen;
        double? lastLoss = null, lastEval = null;
        var stoppedEarly = false;
        using var log = new TrainingLog(_output, state.GlobalStep);

        double Elapsed() => _options.Time.GetElapsedTime(started).TotalSeconds;

        for (var stageIndex = state.StageIndex; stageIndex < stages.Count && state.GlobalStep < totalSteps && !stoppedEarly; stageIndex++)
        {
            var stage = stages[stageIndex];
            var rows = Rows(Examples(stage));
            var evalExamples = EvalExamples(stage);
            var schedule = LearningRateSchedule.Create(_recipe.Schedule, stage.LearningRate, stageSteps[stageIndex], _recipe.WarmupRatio);
            using var optimizer = new AdamW(_adapter.TrainableParameters(), _recipe.AdamBeta1, _recipe.AdamBeta2, _recipe.AdamEpsilon, _recipe.WeightDecay);
            if (checkpoint is not null && state.StageIndex == stageIndex)
                optimizer.Restore(Path.Combine(checkpoint, TrainerCheckpoint.OptimizerFileName), state.OptimizerSteps);
            else
                state = state with { StageIndex = stageIndex, StageStep = 0, Epoch = 0, NextBatch = 0 };

            for (var epoch = state.Epoch; epoch < stage.Epochs && state.GlobalStep < totalSteps && !stoppedEarly; epoch++)
            {
                var plan = Plan(rows, stageIndex, epoch);
                for (var next = state.NextBatch; next < plan.Count && state.GlobalStep < totalSteps; next += _recipe.GradientAccumulation)
                {
                    var group = plan.Skip(next).Take(_recipe.GradientAccumulation).ToList();
                    var (loss, gradNorm, tokens) = Step(group, state.GlobalStep);
                    var rate = schedule.At(state.StageStep);
                    optimizer.Step(rate);
                    state = state with
                    {
                        GlobalStep = state.GlobalStep + 1,
                        StageStep = state.StageStep + 1,
                        Epoch = epoch,
                        NextBatch = next + _recipe.GradientAccumulation,
                        OptimizerSteps = optimizer.StepCount,
                        TokensSeen = state.TokensSeen + tokens,
                    };
                    lastLoss = loss;
                    Report(log, new TrainingProgress
                    {
                        Kind = "train", Step = state.GlobalStep, TotalSteps = totalSteps, Stage = stage.Name, Epoch = epoch,
                        Loss = loss, LearningRate = rate, GradNorm = gradNorm, Tokens = state.TokensSeen,
                        TokensPerSecond = (state.TokensSeen - startTokens) / Math.Max(1e-9, Elapsed()), ElapsedSeconds = Elapsed(),
                    });
                    if (_recipe.EvalEvery > 0 && state.GlobalStep % _recipe.EvalEvery == 0 && evalExamples.Count > 0)
                    {
                        lastEval = Evaluate(evalExamples);
                        (state, stoppedEarly) = Track(state, lastEval.Value);
                        Report(log, new TrainingProgress { Kind = "eval", Step = state.GlobalStep, TotalSteps = totalSteps, Stage = stage.Name, Epoch = epoch, EvalLoss = lastEval, ElapsedSeconds = Elapsed() });
                    }
                    var interrupted = cancellationToken.IsCancellationRequested;
                    if (interrupted || stoppedEarly || (_recipe.SaveEvery > 0 && state.GlobalStep % _recipe.SaveEvery == 0))
                        checkpoint = TrainerCheckpoint.Save(_output, _adapter, optimizer, state, _options.BaseModelName);
                    if (interrupted)
                        return new TrainingSummary(state.GlobalStep, totalSteps, lastLoss, lastEval, state.TokensSeen - startTokens, Elapsed(), _output, checkpoint, Interrupted: true, StoppedEarly: false);
                    if (stoppedEarly)
                        break;
                }
                if (state.GlobalStep >= totalSteps || stoppedEarly)
                {
                    checkpoint = TrainerCheckpoint.Save(_output, _adapter, optimizer, state, _options.BaseModelName);
                    break;
                }
                state = state with { Epoch = epoch + 1, NextBatch = 0 };
            }
            if (state.GlobalStep < totalSteps && !stoppedEarly)
                state = state with { StageIndex = stageIndex + 1, StageStep = 0, Epoch = 0, NextBatch = 0, OptimizerSteps = 0 };
            checkpoint = null;
        }

        var finalEval = _data.Eval.Count > 0 ? Evaluate(_data.Eval) : (double?)null;
        if (finalEval is not null)
        {
            lastEval = finalEval;
            Report(log, new TrainingProgress { Kind = "eval", Step = state.GlobalStep, TotalSteps = totalSteps, Stage = "final", Epoch = state.Epoch, EvalLoss = finalEval, ElapsedSeconds = Elapsed() });
        }
        _adapter.Save(_output, _options.BaseModelName);
        if (_options.Plot)
            LossCurvePlot.Save(log.Entries, Path.Combine(_output, LossCurvePlot.FileName), LossCurvePlot.Title(_recipe, state.GlobalStep));
        return new TrainingSummary(state.GlobalStep, totalSteps, lastLoss, lastEval, state.TokensSeen - startTokens, Elapsed(), _output,
            TrainerCheckpoint.Latest(_output), Interrupted: false, stoppedEarly);
    }

    /// <summary>
    /// Forward and backward over one accumulation group; returns the mean loss per target token over the whole group,
    /// the gradient norm before clipping, and the tokens processed.
    /// </summary>
    internal (double Loss, double GradNorm, long Tokens) Step(IReadOnlyList<IReadOnlyList<SftExample>> group, int globalStep) =>
        Step(group.Select(batch => (IReadOnlyList<PackedSequence>)batch.Select(PackedSequence.Single).ToList()).ToList(), globalStep);

    /// <inheritdoc cref="Step(IReadOnlyList{IReadOnlyList{SftExample}}, int)"/>
    internal (double Loss, double GradNorm, long Tokens) Step(IReadOnlyList<IReadOnlyList<PackedSequence>> group, int globalStep)
    {
        _model.train();
        var parameters = _adapter.TrainableParameters();
        foreach (var parameter in parameters)
            parameter.grad?.zero_();
        var targets = group.Sum(b => b.Sum(e => e.TargetCount));
        var normaliser = Math.Max(1, targets);
        double lossSum = 0;
        long tokens = 0;
        for (var micro = 0; micro < group.Count; micro++)
        {
            using var scope = NewDisposeScope();
            _adapter.Dropout.Reseed(_recipe.Seed, (long)globalStep * _recipe.GradientAccumulation + micro);
            try
            {
                if (_recipe.GradientCheckpointing)
                {
                    var (sum, _, count) = ActivationCheckpointing.Backward(_model, group[micro], 1.0 / normaliser, _adapter.Dropout);
                    lossSum += sum;
                    tokens += count;
                }
                else
                {
                    var (sum, _, count) = CausalLmLoss.Sum(_model, group[micro]);
                    (sum / normaliser).backward();
                    lossSum += sum.item<float>();
                    tokens += count;
                }
            }
            catch (Exception e) when (TrainingOutOfMemoryException.Matches(e))
            {
                throw TrainingOutOfMemoryException.For(e, _recipe, group[micro].Max(x => x.Length));
            }
        }
        var norm = GradientClipping.ClipTotalNorm(parameters, _recipe.MaxGradNorm);
        return (lossSum / normaliser, norm, tokens);
    }

    /// <summary>Mean cross-entropy per assistant token over <paramref name="examples"/>, dropout off.</summary>
    public double Evaluate(IReadOnlyList<SftExample> examples)
    {
        _model.eval();
        using var noGrad = no_grad();
        double sum = 0;
        long targets = 0;
        var ordered = examples.OrderBy(e => e.Length).ToList();
        for (var start = 0; start < ordered.Count; start += _recipe.BatchSize)
        {
            using var scope = NewDisposeScope();
            var (loss, count, _) = CausalLmLoss.Sum(_model, ordered.Skip(start).Take(_recipe.BatchSize).ToList());
            sum += loss.item<float>();
            targets += count;
        }
        _model.train();
        return targets == 0 ? double.NaN : sum / targets;
    }

    private (TrainerState, bool) Track(TrainerState state, double evalLoss)
    {
        if (state.BestEvalLoss is null || evalLoss < state.BestEvalLoss)
            return (state with { BestEvalLoss = evalLoss, EvalsWithoutImprovement = 0 }, false);
        var worse = state.EvalsWithoutImprovement + 1;
        return (state with { EvalsWithoutImprovement = worse }, _recipe.EarlyStopPatience > 0 && worse >= _recipe.EarlyStopPatience);
    }

    private void Report(TrainingLog log, TrainingProgress progress)
    {
        log.Write(progress);
        _options.OnProgress?.Invoke(progress);
    }

    private int PackCapacity() => _recipe.PackingLength > 0 ? _recipe.PackingLength : _data.Cutoff ?? _data.Train.Max(e => e.Length);

    private IReadOnlyList<PackedSequence> Rows(IReadOnlyList<SftExample> examples) => SequencePacking.Rows(examples, PackingLength);

    /// <summary>The epoch's micro-batches: rows shuffled by (seed, stage, epoch), grouped by length.</summary>
    private List<IReadOnlyList<PackedSequence>> Plan(IReadOnlyList<PackedSequence> rows, int stageIndex, int epoch) =>
        LengthBucketedBatches.Plan(rows.Select(r => r.Length).ToList(), _recipe.BatchSize, _recipe.Seed + 1000L * stageIndex, epoch)
            .Select(batch => (IReadOnlyList<PackedSequence>)batch.Select(i => rows[i]).ToList())
            .ToList();

    private List<SftExample> Examples(TrainingStage stage)
    {
        var selected = stage.Categories.Count == 0 ? _data.Train.ToList() : _data.Train.Where(e => stage.Categories.Contains(e.Category)).ToList();
        if (selected.Count == 0)
            throw new ArgumentException($"Stage '{stage.Name}' selects no training samples (categories: {string.Join(", ", stage.Categories)}; the data has {string.Join(", ", _data.Train.Select(e => e.Category).Distinct())}).");
        return selected;
    }

    private List<SftExample> EvalExamples(TrainingStage stage)
    {
        var selected = stage.Categories.Count == 0 ? _data.Eval.ToList() : _data.Eval.Where(e => stage.Categories.Contains(e.Category)).ToList();
        return selected.Count > 0 ? selected : _data.Eval.ToList();
    }

    private int StepsPerEpoch(int examples)
    {
        var batches = (examples + _recipe.BatchSize - 1) / _recipe.BatchSize;
        return (batches + _recipe.GradientAccumulation - 1) / _recipe.GradientAccumulation;
    }
}
