namespace Kefu.Text;

/// <summary>
/// The added tokens of the Qwen2 and Qwen2.5 tokenizers, as their tokenizer_config.json files declare them. Used when
/// a model folder declares none, and for tests and tools that build a tokenizer from vocab.json and merges.txt alone.
/// </summary>
public static class QwenAddedTokens
{
    public const int EndOfTextId = 151643;
    public const int ImStartId = 151644;
    public const int ImEndId = 151645;

    /// <summary>Qwen2's three special tokens: <c>&lt;|endoftext|&gt;</c>, <c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>.</summary>
    public static IReadOnlyList<AddedToken> Qwen2 { get; } =
    [
        new("<|endoftext|>", EndOfTextId),
        new("<|im_start|>", ImStartId),
        new("<|im_end|>", ImEndId),
    ];

    /// <summary>
    /// Qwen2.5's 22 added tokens (151643..151664). As in Qwen2.5's tokenizer_config.json, the tool-call tags and the
    /// fill-in-the-middle tokens (151657..151664) are added but not special.
    /// </summary>
    public static IReadOnlyList<AddedToken> Qwen25 { get; } =
    [
        .. Qwen2,
        new("<|object_ref_start|>", 151646),
        new("<|object_ref_end|>", 151647),
        new("<|box_start|>", 151648),
        new("<|box_end|>", 151649),
        new("<|quad_start|>", 151650),
        new("<|quad_end|>", 151651),
        new("<|vision_start|>", 151652),
        new("<|vision_end|>", 151653),
        new("<|vision_pad|>", 151654),
        new("<|image_pad|>", 151655),
        new("<|video_pad|>", 151656),
        new("<tool_call>", 151657, IsSpecial: false),
        new("</tool_call>", 151658, IsSpecial: false),
        new("<|fim_prefix|>", 151659, IsSpecial: false),
        new("<|fim_middle|>", 151660, IsSpecial: false),
        new("<|fim_suffix|>", 151661, IsSpecial: false),
        new("<|fim_pad|>", 151662, IsSpecial: false),
        new("<|repo_name|>", 151663, IsSpecial: false),
        new("<|file_sep|>", 151664, IsSpecial: false),
    ];
}
