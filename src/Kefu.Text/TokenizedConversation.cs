namespace Kefu.Text;

/// <summary>
/// A conversation as token ids, with the loss mask for supervised fine-tuning: <c>LossMask[i]</c> is true where
/// <c>InputIds[i]</c> is a token the assistant wrote (its content, its tool calls, its closing <c>&lt;|im_end|&gt;</c>).
/// </summary>
public sealed record TokenizedConversation(int[] InputIds, bool[] LossMask);
