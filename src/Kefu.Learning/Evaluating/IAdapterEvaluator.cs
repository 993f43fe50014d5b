using Kefu.Evaluation.Reporting;

namespace Kefu.Learning.Evaluating;

/// <summary>Evaluates the base model with an adapter (null: no adapter) on the regression set.</summary>
public interface IAdapterEvaluator
{
    Task<EvalReport> EvaluateAsync(string? adapterDirectory, CancellationToken cancellationToken);
}
