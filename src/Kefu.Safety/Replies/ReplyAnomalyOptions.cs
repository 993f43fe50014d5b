namespace Kefu.Safety.Replies;

/// <summary>Bounds for <see cref="ReplyAnomalyDetector"/>. Defaults fit the demo shop's replies (12–162 characters,
/// 4-gram repetition at most 0.13).</summary>
public sealed record ReplyAnomalyOptions
{
    /// <summary>Fewest non-space characters a reply may have.</summary>
    public int MinLength { get; init; } = 2;

    /// <summary>Most characters a reply may have.</summary>
    public int MaxLength { get; init; } = 600;

    /// <summary>The n of the character n-grams whose repetition is measured.</summary>
    public int GramSize { get; init; } = 4;

    /// <summary>Replies with fewer n-grams are too short for a meaningful repetition rate.</summary>
    public int MinGramsForRepetition { get; init; } = 20;

    /// <summary>Share of n-grams that repeat an earlier one above which a reply is looping.</summary>
    public double MaxRepeatedGramRate { get; init; } = 0.4;

    /// <summary>A unit of 2–12 characters repeated back to back this many times is a loop ("好的好的好的好的").</summary>
    public int MaxConsecutiveRepeats { get; init; } = 4;

    /// <summary>Share of unexpected characters (mojibake, private use, box drawing) above which a reply is garbage.</summary>
    public double MaxUnexpectedCharacterRate { get; init; } = 0.1;

    /// <summary>Share of foreign-script weight above which a Chinese conversation's reply is in the wrong language.</summary>
    public double MaxForeignScriptRate { get; init; } = 0.5;

    /// <summary>Replies with less letter weight than this are too short to judge their language.</summary>
    public int MinLetterWeightForLanguage { get; init; } = 8;

    /// <summary>Markup that must never reach a customer.</summary>
    public IReadOnlyList<string> TemplateMarkers { get; init; } =
    [
        "<|im_start|>", "<|im_end|>", "<|endoftext|>", "<|im_sep|>", "<tool_call>", "</tool_call>",
        "<tool_response>", "</tool_response>", "<|system|>", "<|user|>", "<|assistant|>", "<think>", "</think>",
    ];

    /// <summary>What to send instead of an anomalous reply.</summary>
    public string FallbackReply { get; init; } =
        "抱歉，我刚才没能给出准确的答复。请您换个说法再描述一下问题，或者回复“转人工”，由人工客服为您处理。";
}
