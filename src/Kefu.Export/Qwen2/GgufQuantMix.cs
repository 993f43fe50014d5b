using System.Globalization;
using Kefu.Export.Gguf;

namespace Kefu.Export.Qwen2;

/// <summary>
/// Which ggml type each Qwen2 tensor gets, as llama.cpp's llama-quantize picks it (llama-quant.cpp:
/// llama_tensor_get_type, no importance matrix, no overrides), so a Kefu Q4_K_M file has the same tensor types as
/// one made by <c>llama-quantize model-f16.gguf Q4_K_M</c>:
/// <list type="bullet">
/// <item>1-D tensors (norms, biases) stay F32.</item>
/// <item>The output head (or token_embd when the embeddings are tied and there is no output.weight) is Q6_K under
/// the quantized types, Q8_0 when its rows are not whole blocks of the base type.</item>
/// <item>Q4_K_M: Q4_K, except attn_v and ffn_down on the "use more bits" layers (the first and last eighth and every
/// third layer between), which get Q6_K.</item>
/// <item>Rows that are not whole blocks fall back as llama.cpp does: Q4_K → Q5_0, Q6_K → Q8_0, and to F16 when even
/// 32-value blocks do not fit. (Qwen2-0.5B's 896-wide rows are not whole 256-value blocks: most of its weights become
/// Q5_0, exactly as in llama.cpp's own Q4_K_M of that model.)</item>
/// </list>
/// llama.cpp counts attn_v and ffn_down tensors in layer order (its loader sorts weights by block number), so the
/// count equals the block number used here.
/// </summary>
public static class GgufQuantMix
{
    /// <summary>The type of one tensor of a model with <paramref name="layerCount"/> blocks.</summary>
    /// <param name="ggufName">The tensor's GGUF name (token_embd.weight, blk.3.attn_v.weight, output.weight, …).</param>
    /// <param name="dimensions">ggml dimensions, innermost (the row length) first.</param>
    /// <param name="type">The file type asked for.</param>
    /// <param name="layerCount">Number of transformer blocks (qwen2.block_count).</param>
    /// <param name="hasOutputTensor">False when the embeddings are tied and the file has no output.weight.</param>
    public static GgmlType TypeFor(string ggufName, IReadOnlyList<long> dimensions, GgufOutputType type, int layerCount, bool hasOutputTensor)
    {
        ArgumentNullException.ThrowIfNull(ggufName);
        ArgumentNullException.ThrowIfNull(dimensions);
        if (dimensions.Count < 2 || !ggufName.EndsWith("weight", StringComparison.Ordinal) || ggufName.Contains("_norm.weight", StringComparison.Ordinal))
            return GgmlType.F32;
        var baseType = type.WeightType();
        if (baseType.BlockElements() == 1)
            return baseType; // F32, F16, BF16: nothing to choose
        var rowLength = dimensions[0];
        var wanted = baseType;
        var isHead = ggufName == "output.weight" || (!hasOutputTensor && ggufName == "token_embd.weight");
        if (isHead)
            wanted = rowLength % baseType.BlockElements() != 0 ? GgmlType.Q8_0 : baseType == GgmlType.Q8_0 ? GgmlType.Q8_0 : GgmlType.Q6_K;
        else if (type == GgufOutputType.Q4_K_M && IsLayerTensor(ggufName, "attn_v.weight", out var layer) && UseMoreBits(layer, layerCount))
            wanted = GgmlType.Q6_K;
        else if (type == GgufOutputType.Q4_K_M && IsLayerTensor(ggufName, "ffn_down", out layer) && UseMoreBits(layer, layerCount))
            wanted = GgmlType.Q6_K;
        return Fallback(wanted, rowLength);
    }

    /// <summary>llama.cpp's use_more_bits: the first and last eighth of the layers, and every third layer in between.</summary>
    public static bool UseMoreBits(int layer, int layerCount) =>
        layer < layerCount / 8 || layer >= 7 * layerCount / 8 || (layer - layerCount / 8) % 3 == 2;

    /// <summary>tensor_type_fallback: a type whose blocks do not fit the rows becomes a 32-value type, else F16.</summary>
    private static GgmlType Fallback(GgmlType wanted, long rowLength)
    {
        if (rowLength % wanted.BlockElements() == 0)
            return wanted;
        var fallback = wanted switch
        {
            GgmlType.Q4_K => GgmlType.Q5_0,
            GgmlType.Q6_K => GgmlType.Q8_0,
            // llama.cpp has no fallback for 32-value types (it refuses the tensor); Kefu keeps such tensors in F16.
            _ => GgmlType.F16,
        };
        return rowLength % fallback.BlockElements() == 0 ? fallback : GgmlType.F16;
    }

    private static bool IsLayerTensor(string ggufName, string part, out int layer)
    {
        layer = -1;
        if (!ggufName.StartsWith("blk.", StringComparison.Ordinal) || !ggufName.Contains("." + part, StringComparison.Ordinal))
            return false;
        var end = ggufName.IndexOf('.', 4);
        return end > 4 && int.TryParse(ggufName.AsSpan(4, end - 4), NumberStyles.None, CultureInfo.InvariantCulture, out layer);
    }
}
