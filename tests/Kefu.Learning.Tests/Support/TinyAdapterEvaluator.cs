using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Scoring;
using Kefu.Learning.Evaluating;
using Kefu.Model.Generation;
using Kefu.Model.Lora;
using Kefu.Model.Runtime;
using static TorchSharp.torch;

namespace Kefu.Learning.Tests.Support;

/// <summary>
/// Evaluates the tiny model with an adapter merged, as the real evaluator does, on token-level scenarios (a
/// vocabulary-64 model cannot speak Chinese): each pair is a scenario, resolved when greedy decoding reproduces the
/// answer exactly, with fact coverage the share of answer tokens right in place.
/// </summary>
internal sealed class TinyAdapterEvaluator(TinyLearningSetup setup) : IAdapterEvaluator
{
    public List<string?> Evaluated { get; } = [];

    public Task<EvalReport> EvaluateAsync(string? adapterDirectory, CancellationToken cancellationToken)
    {
        Evaluated.Add(adapterDirectory);
        using var model = ModelFolder.Load(setup.ModelDirectory, ScalarType.Float32, null, null);
        if (adapterDirectory is not null)
        {
            using var lora = LoraAdapter.Load(model, adapterDirectory);
            lora.Merge();
            lora.Detach();
        }
        model.eval();
        var generator = new Qwen2Generator(model);
        var options = GenerationOptions.Greedy with { MaxNewTokens = 10, StopTokenIds = [TinyLearningSetup.End] };
        var results = setup.Pairs.Select((pair, i) =>
        {
            int[] prompt = [TinyLearningSetup.Start, .. pair.Question, TinyLearningSetup.Separator];
            var output = generator.Generate([prompt], options, cancellationToken)[0].Tokens.ToArray();
            var right = pair.Answer.Where((t, k) => k < output.Length && output[k] == t).Count();
            return new ScenarioResult
            {
                Id = $"pair-{i}", Category = "tiny", Resolved = output.SequenceEqual(pair.Answer), FactCoverage = (double)right / pair.Answer.Length,
                ToolCorrect = true, Safe = true, LatenciesMs = [1],
            };
        }).ToList();
        return Task.FromResult(EvalReportBuilder.Build("tiny " + (adapterDirectory ?? "base"), "pairs", DateTimeOffset.UnixEpoch, 0, results));
    }
}
