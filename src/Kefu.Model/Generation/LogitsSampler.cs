using static TorchSharp.torch;

namespace Kefu.Model.Generation;

/// <summary>Turns next-token logits [batch, vocab] into token ids [batch], as transformers' logits processors do.</summary>
public static class LogitsSampler
{
    /// <summary>
    /// Picks the next token of each row. <paramref name="history"/> [batch, seen] holds each row's prompt and generated
    /// tokens for the repetition penalty (padding must be replaced by a token the row already has).
    /// </summary>
    public static Tensor Next(Tensor logits, GenerationOptions options, Tensor? history, Generator? generator)
    {
        using var scope = NewDisposeScope();
        var scores = logits.to(ScalarType.Float32);
        if (options.RepetitionPenalty != 1.0 && history is not null)
            scores = PenaliseRepetition(scores, history, options.RepetitionPenalty);
        if (options.IsGreedy)
            return scores.argmax(-1).MoveToOuterDisposeScope();

        scores = scores / options.Temperature;
        if (options.TopK > 0 && options.TopK < scores.shape[^1])
            scores = KeepTopK(scores, options.TopK);
        if (options.TopP < 1.0)
            scores = KeepTopP(scores, options.TopP);
        var probabilities = scores.softmax(-1);
        return multinomial(probabilities, 1, generator: generator).squeeze(-1).MoveToOuterDisposeScope();
    }

    /// <summary>Seen tokens' logits: positive ones divided by the penalty, negative ones multiplied (CTRL, as transformers).</summary>
    public static Tensor PenaliseRepetition(Tensor scores, Tensor history, double penalty)
    {
        using var scope = NewDisposeScope();
        var seen = scores.gather(1, history);
        var penalised = where(seen.lt(0), seen * penalty, seen / penalty);
        return scores.scatter(1, history, penalised).MoveToOuterDisposeScope();
    }

    /// <summary>Everything below the k-th largest score becomes −∞.</summary>
    public static Tensor KeepTopK(Tensor scores, int k)
    {
        using var scope = NewDisposeScope();
        var kth = scores.topk(k, dim: -1).values.narrow(-1, k - 1, 1);
        return scores.masked_fill(scores.lt(kth), float.NegativeInfinity).MoveToOuterDisposeScope();
    }

    /// <summary>Keeps the most likely tokens until their probability reaches p (at least one); the rest become −∞.</summary>
    public static Tensor KeepTopP(Tensor scores, double p)
    {
        using var scope = NewDisposeScope();
        var (sorted, order) = scores.sort(dim: -1, descending: true);
        var probabilities = sorted.softmax(-1);
        var before = probabilities.cumsum(-1) - probabilities;
        var cut = sorted.masked_fill(before.ge(p), float.NegativeInfinity);
        return full_like(scores, float.NegativeInfinity).scatter(1, order, cut).MoveToOuterDisposeScope();
    }
}
