namespace Kefu.Text;

/// <summary>
/// A token outside the BPE vocabulary (Hugging Face's "added token"), such as <c>&lt;|im_start|&gt;</c>. Added tokens
/// are matched in the text before BPE runs. <paramref name="IsSpecial"/> decides only whether decoding with
/// <c>skipSpecialTokens</c> drops it: in Qwen2.5 <c>&lt;tool_call&gt;</c> is an added token that is not special,
/// so it survives decoding and the tool-call parser can see it.
/// </summary>
public sealed record AddedToken(string Content, int Id, bool IsSpecial = true);
