namespace Kefu.Model.Generation;

/// <summary>Why a row stopped generating.</summary>
public enum GenerationFinishReason
{
    /// <summary>It produced a stop token.</summary>
    Stop,

    /// <summary>It reached the maximum number of new tokens.</summary>
    Length,
}
