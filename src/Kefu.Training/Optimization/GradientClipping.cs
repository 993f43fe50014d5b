using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Training.Optimization;

/// <summary>Clips gradients by their global L2 norm, as torch.nn.utils.clip_grad_norm_.</summary>
public static class GradientClipping
{
    /// <summary>Scales every gradient by min(1, max / (norm + 1e-6)); returns the norm before clipping. max 0: measure only.</summary>
    public static double ClipTotalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Where(p => p.grad is not null).Select(p => p.grad!).ToList();
        if (grads.Count == 0)
            return 0;
        var total = stack(grads.Select(g => g.to(ScalarType.Float32).pow(2).sum()).ToArray()).sum().sqrt().item<float>();
        if (maxNorm > 0)
        {
            var coefficient = maxNorm / (total + 1e-6);
            if (coefficient < 1)
            {
                foreach (var grad in grads)
                    grad.mul_(coefficient);
            }
        }
        return total;
    }
}
