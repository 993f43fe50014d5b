namespace Kefu.Data.Records;

/// <summary>The three kinds of training data the seed recipe mixes (60% / 30% / 10% by default).</summary>
public enum DataCategory
{
    /// <summary>Knowledge injection: single question/answer pairs from the FAQ and policy documents.</summary>
    Knowledge,

    /// <summary>Dialogue flow: multi-turn conversations, order look-ups and tool calls.</summary>
    Dialogue,

    /// <summary>Exception handling: complaints, prompt injection, requests for a human, refusals.</summary>
    Exception,
}
