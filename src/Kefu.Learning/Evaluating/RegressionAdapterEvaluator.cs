using Kefu.Evaluation;
using Kefu.Evaluation.Reporting;
using Kefu.Evaluation.Running;

namespace Kefu.Learning.Evaluating;

/// <summary>
/// The real evaluation of an adapter: the base model with the adapter merged, answering the regression set through
/// the in-process server (knowledge, tools and guardrails as in service) when a samples folder is given, or alone.
/// </summary>
public sealed class RegressionAdapterEvaluator(string modelDirectory, string regressionFile, string? samples, int maxNewTokens = 256) : IAdapterEvaluator
{
    public async Task<EvalReport> EvaluateAsync(string? adapterDirectory, CancellationToken cancellationToken)
    {
        using var model = await Task.Run(() => LoadedModel.Load(modelDirectory, adapterDirectory, maxNewTokens), cancellationToken).ConfigureAwait(false);
        var options = new EvaluationOptions { Parallelism = 1 };
        if (samples is null)
            return await Evaluator.RunAsync(new ChatClientTarget(model.Client, "model " + model.Name), regressionFile, options, cancellationToken).ConfigureAwait(false);
        await using var server = await InProcessServer.StartDemoAsync(samples, model.Client, model.Name, null, cancellationToken).ConfigureAwait(false);
        using var target = new HttpChatTarget(server.Address, server.ApiKey);
        var report = await Evaluator.RunAsync(target, regressionFile, options, cancellationToken).ConfigureAwait(false);
        return report with { Target = "in-process server, model " + model.Name };
    }
}
