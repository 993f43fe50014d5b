namespace Kefu.Safety.Replies;

/// <summary>What is wrong with a model reply.</summary>
public enum ReplyAnomalyKind
{
    /// <summary>Empty or shorter than the minimum.</summary>
    TooShort,

    /// <summary>Longer than the maximum (a runaway generation).</summary>
    TooLong,

    /// <summary>Looping: a high share of repeated character n-grams, or one unit repeated back to back.</summary>
    Repetition,

    /// <summary>U+FFFD replacement characters, lone surrogates or control characters: bytes decoded wrongly.</summary>
    BrokenEncoding,

    /// <summary>A high share of characters a Chinese reply never needs (mojibake such as "Ã¤Â¸", private-use, box drawing).</summary>
    Garbage,

    /// <summary>Chat-template or tool-call markup leaked into the text (&lt;|im_start|&gt;, &lt;tool_call&gt;).</summary>
    TemplateLeak,

    /// <summary>A Chinese conversation answered mostly in English or another script.</summary>
    WrongLanguage,

    /// <summary>The reply states an order status that the tool result contradicts (tool: 已发货, reply: 还没发货).</summary>
    ContradictsToolResult,
}
