namespace Kefu.Model.Configuration;

/// <summary>
/// The real Qwen2-Instruct shapes (numbers from the published config.json files), plus a tiny one for tests and
/// quick experiments that keeps the real vocabulary so the real tokenizer works with it.
/// </summary>
public static class Qwen2Shapes
{
    /// <summary>The shape names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "0.5b", "1.5b", "7b"];

    /// <summary>Returns the config for a shape name (case-insensitive), or throws naming the accepted ones.</summary>
    public static Qwen2Config Get(string name) => name.Trim().ToLowerInvariant() switch
    {
        "tiny" => Common with
        {
            HiddenSize = 64, IntermediateSize = 176, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeadsRaw = 2,
            TieWordEmbeddings = true, MaxPositionEmbeddings = 32768, SlidingWindow = 32768, MaxWindowLayers = 2,
        },
        // Qwen/Qwen2-0.5B-Instruct
        "0.5b" => Common with
        {
            HiddenSize = 896, IntermediateSize = 4864, NumHiddenLayers = 24, NumAttentionHeads = 14, NumKeyValueHeadsRaw = 2,
            TieWordEmbeddings = true, MaxPositionEmbeddings = 32768, SlidingWindow = 32768, MaxWindowLayers = 24,
        },
        // Qwen/Qwen2-1.5B-Instruct (same numbers as ../shared/qwen2-tokenizer/config.qwen2-1.5b-instruct.*.json)
        "1.5b" => Common with
        {
            HiddenSize = 1536, IntermediateSize = 8960, NumHiddenLayers = 28, NumAttentionHeads = 12, NumKeyValueHeadsRaw = 2,
            TieWordEmbeddings = true, MaxPositionEmbeddings = 32768, SlidingWindow = 32768, MaxWindowLayers = 28,
        },
        // Qwen/Qwen2-7B-Instruct
        "7b" => Common with
        {
            VocabSize = 152064, HiddenSize = 3584, IntermediateSize = 18944, NumHiddenLayers = 28, NumAttentionHeads = 28,
            NumKeyValueHeadsRaw = 4, TieWordEmbeddings = false, MaxPositionEmbeddings = 32768, SlidingWindow = 131072,
            MaxWindowLayers = 28,
        },
        _ => throw new ArgumentException($"Unknown model shape '{name}': use one of {string.Join(", ", Names)}.", nameof(name)),
    };

    private static readonly Qwen2Config Common = new()
    {
        Architectures = ["Qwen2ForCausalLM"],
        ModelType = "qwen2",
        VocabSize = 151936,
        HiddenAct = "silu",
        RmsNormEps = 1e-6,
        RopeTheta = 1_000_000.0,
        InitializerRange = 0.02,
        UseCache = true,
        UseSlidingWindow = false,
        AttentionDropout = 0.0,
        BosTokenId = [151643],
        EosTokenId = [151645],
        TorchDtype = "bfloat16",
    };
}
