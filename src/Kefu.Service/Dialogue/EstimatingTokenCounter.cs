using System.Text;
using Kefu.Service.Knowledge;

namespace Kefu.Service.Dialogue;

/// <summary>
/// A tokenizer-free estimate for when no model tokenizer is configured. It errs on the high side so a history
/// trimmed with it always fits: Qwen2's BPE averages about 1.4 Chinese characters per token, counted here as
/// one token per character; other text averages about 4 characters per token, counted as one per 3.
/// </summary>
public sealed class EstimatingTokenCounter : ITokenCounter
{
    public int CountTokens(string text)
    {
        int cjk = 0, other = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (SearchText.IsCjk(rune))
                cjk++;
            else if (!Rune.IsWhiteSpace(rune))
                other++;
        }
        return cjk + ((other + 2) / 3);
    }
}
