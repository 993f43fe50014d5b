namespace Kefu.Data.Records;

/// <summary>The input formats <c>kefu data</c> reads.</summary>
public enum DatasetFormat
{
    /// <summary>Alpaca: <c>instruction</c>, <c>input</c>, <c>output</c>, optional <c>system</c> and <c>history</c>.</summary>
    Alpaca,

    /// <summary>OpenAI chat: <c>messages</c> with roles system/user/assistant/tool, optional <c>tools</c>.</summary>
    Messages,

    /// <summary>ShareGPT: <c>conversations</c> of <c>from</c>/<c>value</c> pairs, optional <c>system</c> and <c>tools</c>.</summary>
    ShareGpt,

    /// <summary>CSV FAQ with a header row: <c>question</c>, <c>answer</c>, optional <c>category</c> and <c>id</c>.</summary>
    Csv,
}
