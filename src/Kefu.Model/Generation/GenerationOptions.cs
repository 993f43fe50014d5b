using Kefu.Model.Configuration;

namespace Kefu.Model.Generation;

/// <summary>
/// How to pick each next token. Temperature 0 is greedy (arg-max); otherwise logits are penalised for repetition,
/// divided by the temperature, cut to the top-k and to the top-p nucleus, then sampled, in transformers' order.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Qwen2-Instruct's stop tokens: &lt;|im_end|&gt; (151645) and &lt;|endoftext|&gt; (151643).</summary>
    public static IReadOnlyList<int> Qwen2StopTokenIds { get; } = [151645, 151643];

    /// <summary>Greedy decoding of up to 256 tokens, stopping on Qwen2's stop tokens.</summary>
    public static GenerationOptions Greedy { get; } = new();

    public int MaxNewTokens { get; init; } = 256;

    /// <summary>0 (or less) means greedy.</summary>
    public double Temperature { get; init; }

    /// <summary>Keep only the k most likely tokens; 0 turns the cut off.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest set of most likely tokens whose probability reaches p; 1 turns the cut off.</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>transformers' repetition penalty (CTRL): seen tokens' positive logits ÷ p, negative ones × p. 1 is off.</summary>
    public double RepetitionPenalty { get; init; } = 1.0;

    /// <summary>Generation of a row ends when it produces one of these (the stop token is reported, not decoded as text).</summary>
    public IReadOnlyList<int> StopTokenIds { get; init; } = Qwen2StopTokenIds;

    /// <summary>Seed of the sampler: the same seed, prompt and model give the same tokens. Null picks one at random.</summary>
    public long? Seed { get; init; }

    public bool IsGreedy => Temperature <= 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (MaxNewTokens < 1)
            throw new ArgumentException($"MaxNewTokens must be at least 1, got {MaxNewTokens}.");
        if (TopK < 0)
            throw new ArgumentException($"TopK must be 0 (off) or positive, got {TopK}.");
        if (TopP is <= 0 or > 1)
            throw new ArgumentException($"TopP must be in (0, 1], got {TopP}.");
        if (RepetitionPenalty <= 0)
            throw new ArgumentException($"RepetitionPenalty must be positive, got {RepetitionPenalty}.");
        if (double.IsNaN(Temperature) || double.IsInfinity(Temperature))
            throw new ArgumentException($"Temperature must be a finite number, got {Temperature}.");
    }

    /// <summary>Options from a model folder's generation_config.json (sampling only when it says do_sample).</summary>
    public static GenerationOptions FromGenerationConfig(Qwen2GenerationConfig config, int maxNewTokens = 256) => new()
    {
        MaxNewTokens = config.MaxNewTokens ?? maxNewTokens,
        Temperature = config.DoSample == true ? config.Temperature ?? 1.0 : 0,
        TopK = config.DoSample == true ? config.TopK ?? 0 : 0,
        TopP = config.DoSample == true ? config.TopP ?? 1.0 : 1.0,
        RepetitionPenalty = config.RepetitionPenalty ?? 1.0,
        StopTokenIds = config.EosTokenId is { Count: > 0 } eos ? eos : Qwen2StopTokenIds,
    };
}
