using Kefu.Model.Modules;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// Perplexity on held-out conversations: exp of the mean negative log-likelihood of the assistant tokens (those
/// the loss mask marks, the tokens the model is tuned to produce), one example per forward pass.
/// </summary>
public static class Perplexity
{
    public static PerplexityResult Evaluate(Qwen2ForCausalLM model, IReadOnlyList<SftExample> examples, int maxLength = 1024)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(examples);
        using var noGrad = no_grad();
        double totalLoss = 0;
        long tokens = 0;
        foreach (var example in examples)
        {
            var length = Math.Min(example.Length, maxLength);
            if (length < 2)
                continue;
            var targetMask = example.LossMask.Skip(1).Take(length - 1).ToArray();
            if (!targetMask.Any(m => m))
                continue;
            using var scope = NewDisposeScope();
            var ids = tensor(example.InputIds.Take(length).Select(i => (long)i).ToArray(), [1, length], ScalarType.Int64, model.Device);
            var logits = model.forward(ids).squeeze(0).narrow(0, 0, length - 1).to(ScalarType.Float32);
            var targets = ids.squeeze(0).narrow(0, 1, length - 1);
            var losses = nn.functional.cross_entropy(logits, targets, reduction: nn.Reduction.None);
            var mask = tensor(targetMask, device: model.Device);
            totalLoss += losses.masked_select(mask).sum().to(ScalarType.Float64).item<double>();
            tokens += targetMask.Count(m => m);
        }
        if (tokens == 0)
            throw new ArgumentException("No example has assistant tokens to score.", nameof(examples));
        return new PerplexityResult(Math.Exp(totalLoss / tokens), totalLoss / tokens, tokens);
    }
}

/// <summary>Perplexity, the mean negative log-likelihood it comes from, and the number of tokens scored.</summary>
public sealed record PerplexityResult(double Perplexity, double MeanLoss, long Tokens);
