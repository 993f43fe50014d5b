using Kefu.Model.Safetensors;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Training.Optimization;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) exactly as torch.optim.AdamW: decoupled weight decay p ← p − lr·λ·p, then the
/// bias-corrected Adam step. Written out rather than taken from TorchSharp so its whole state (moments, step count)
/// is ours to checkpoint as safetensors and restore bit for bit.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly IReadOnlyList<Parameter> _parameters;
    private readonly Tensor[] _firstMoments;
    private readonly Tensor[] _secondMoments;

    public AdamW(IReadOnlyList<Parameter> parameters, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        _parameters = parameters;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        _firstMoments = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
        _secondMoments = parameters.Select(p => zeros_like(p).DetachFromDisposeScope()).ToArray();
    }

    public double Beta1 { get; }

    public double Beta2 { get; }

    public double Epsilon { get; }

    public double WeightDecay { get; }

    /// <summary>Optimizer steps taken so far.</summary>
    public long StepCount { get; private set; }

    public void Step(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCount++;
        var correction1 = 1 - Math.Pow(Beta1, StepCount);
        var correction2 = 1 - Math.Pow(Beta2, StepCount);
        for (var i = 0; i < _parameters.Count; i++)
        {
            var parameter = _parameters[i];
            if (parameter.grad is not { } grad)
                continue;
            if (WeightDecay != 0)
                parameter.mul_(1 - learningRate * WeightDecay);
            _firstMoments[i].mul_(Beta1).add_(grad, alpha: 1 - Beta1);
            _secondMoments[i].mul_(Beta2).addcmul_(grad, grad, value: 1 - Beta2);
            var denominator = (_secondMoments[i].sqrt() / Math.Sqrt(correction2)).add_(Epsilon);
            parameter.addcdiv_(_firstMoments[i], denominator, value: -learningRate / correction1);
        }
    }

    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
            parameter.grad?.zero_();
    }

    /// <summary>Moments under stable names, for a checkpoint.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> StateTensors() =>
        _firstMoments.Select((m, i) => new KeyValuePair<string, Tensor>($"exp_avg.{i}", m))
            .Concat(_secondMoments.Select((v, i) => new KeyValuePair<string, Tensor>($"exp_avg_sq.{i}", v)))
            .ToList();

    /// <summary>Restores moments from a checkpoint file and the step count from its state.</summary>
    public void Restore(string path, long stepCount)
    {
        using var file = SafetensorsFile.Open(path);
        foreach (var (name, tensor) in StateTensors())
            file.CopyInto(name, tensor);
        StepCount = stepCount;
    }

    public void Dispose()
    {
        foreach (var tensor in _firstMoments.Concat(_secondMoments))
            tensor.Dispose();
    }
}
