namespace Kefu.Safety;

/// <summary>What a guardrail does with a piece of text, from the mildest to the strongest.</summary>
public enum SafetyAction
{
    /// <summary>Nothing found: pass the text on unchanged.</summary>
    Allow = 0,

    /// <summary>Pass the text on unchanged but record the hit (metrics, review queues).</summary>
    Flag = 1,

    /// <summary>Pass the text on with the matched span replaced by asterisks.</summary>
    Mask = 2,

    /// <summary>Do not pass the text on; answer with a safe reply instead.</summary>
    Block = 3,
}
