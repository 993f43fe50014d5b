using Kefu.Export.Gguf;

// Q4_0 and Q8_0 are ggml's own names for these formats; users meet them in llama.cpp and Ollama spelled so.
#pragma warning disable CA1707

namespace Kefu.Export.Qwen2;

/// <summary>
/// The weight formats <c>kefu export gguf</c> writes, with llama.cpp's file type (llama_ftype) for each. Q4_K_M is
/// llama.cpp's mix (mostly Q4_K, the sensitive tensors Q6_K; see <see cref="GgufQuantMix"/>), not a single ggml type.
/// </summary>
public enum GgufOutputType
{
    F32,
    F16,
    BF16,
    Q8_0,
    Q4_0,
    Q4_K_M,
    Q6_K,
}

public static class GgufOutputTypes
{
    /// <summary>general.file_type: LLAMA_FTYPE_ALL_F32 0, MOSTLY_F16 1, MOSTLY_Q4_0 2, MOSTLY_Q8_0 7, MOSTLY_Q4_K_M 15, MOSTLY_Q6_K 18, MOSTLY_BF16 32.</summary>
    public static uint FileType(this GgufOutputType type) => type switch
    {
        GgufOutputType.F32 => 0,
        GgufOutputType.F16 => 1,
        GgufOutputType.Q4_0 => 2,
        GgufOutputType.Q8_0 => 7,
        GgufOutputType.Q4_K_M => 15,
        GgufOutputType.Q6_K => 18,
        GgufOutputType.BF16 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The type most weights get (llama_ftype_get_default_type): Q4_K for Q4_K_M.</summary>
    public static GgmlType WeightType(this GgufOutputType type) => type switch
    {
        GgufOutputType.F32 => GgmlType.F32,
        GgufOutputType.F16 => GgmlType.F16,
        GgufOutputType.BF16 => GgmlType.BF16,
        GgufOutputType.Q8_0 => GgmlType.Q8_0,
        GgufOutputType.Q4_0 => GgmlType.Q4_0,
        GgufOutputType.Q4_K_M => GgmlType.Q4_K,
        GgufOutputType.Q6_K => GgmlType.Q6_K,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    public static GgufOutputType Parse(string text) => text.Trim().ToUpperInvariant() switch
    {
        "F32" => GgufOutputType.F32,
        "F16" => GgufOutputType.F16,
        "BF16" => GgufOutputType.BF16,
        "Q8_0" => GgufOutputType.Q8_0,
        "Q4_0" => GgufOutputType.Q4_0,
        "Q4_K_M" => GgufOutputType.Q4_K_M,
        "Q6_K" => GgufOutputType.Q6_K,
        _ => throw new ArgumentException($"Unknown GGUF type '{text}': use f32, f16, bf16, q8_0, q6_k, q4_k_m or q4_0."),
    };
}
