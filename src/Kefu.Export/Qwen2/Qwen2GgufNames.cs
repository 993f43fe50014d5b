using System.Text.RegularExpressions;

namespace Kefu.Export.Qwen2;

/// <summary>
/// Hugging Face Qwen2 tensor names → llama.cpp's GGUF names (gguf-py tensor_mapping for MODEL_ARCH.QWEN2):
/// token_embd, blk.N.attn_norm/attn_q/attn_k/attn_v (+bias)/attn_output/ffn_norm/ffn_gate/ffn_up/ffn_down,
/// output_norm, output. Qwen2 uses NeoX-style rotary embeddings, so q and k need no permutation.
/// </summary>
public static partial class Qwen2GgufNames
{
    private static readonly Dictionary<string, string> LayerParts = new(StringComparer.Ordinal)
    {
        ["input_layernorm"] = "attn_norm",
        ["self_attn.q_proj"] = "attn_q",
        ["self_attn.k_proj"] = "attn_k",
        ["self_attn.v_proj"] = "attn_v",
        ["self_attn.o_proj"] = "attn_output",
        ["post_attention_layernorm"] = "ffn_norm",
        ["mlp.gate_proj"] = "ffn_gate",
        ["mlp.up_proj"] = "ffn_up",
        ["mlp.down_proj"] = "ffn_down",
    };

    /// <summary>The GGUF name of <paramref name="hfName"/>, or null when the tensor has no place in a Qwen2 GGUF.</summary>
    public static string? TryMap(string hfName)
    {
        ArgumentNullException.ThrowIfNull(hfName);
        switch (hfName)
        {
            case "model.embed_tokens.weight": return "token_embd.weight";
            case "model.norm.weight": return "output_norm.weight";
            case "lm_head.weight": return "output.weight";
        }
        var match = LayerName().Match(hfName);
        if (!match.Success || !LayerParts.TryGetValue(match.Groups["part"].Value, out var part))
            return null;
        return $"blk.{match.Groups["layer"].Value}.{part}.{match.Groups["kind"].Value}";
    }

    /// <summary>The GGUF name of a module (model.layers.3.self_attn.q_proj → blk.3.attn_q), for LoRA tensors.</summary>
    public static string? TryMapModule(string moduleName) => TryMap(moduleName + ".weight") is { } mapped ? mapped[..^".weight".Length] : null;

    [GeneratedRegex(@"^model\.layers\.(?<layer>\d+)\.(?<part>[a-z_]+(\.[a-z_]+)?)\.(?<kind>weight|bias)$")]
    private static partial Regex LayerName();
}
