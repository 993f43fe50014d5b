using Kefu.Testing;
using Kefu.Text;

namespace Kefu.Model.Tests.Chat;

/// <summary>The real Qwen2 vocabulary from ../shared, with Qwen2.5's added tokens (&lt;tool_call&gt; is one token there).</summary>
internal static class ChatTokenizers
{
    private static readonly Lazy<Qwen2Tokenizer> Qwen25Lazy = new(() =>
    {
        var folder = SharedData.RequireDirectory("qwen2-tokenizer");
        return Qwen2Tokenizer.FromFiles(Path.Combine(folder, "vocab.json"), Path.Combine(folder, "merges.txt"), QwenAddedTokens.Qwen25);
    });

    public static Qwen2Tokenizer Qwen25
    {
        get
        {
            // Skips (via SharedData) before touching the lazy value when the shared folder is absent.
            SharedData.RequireDirectory("qwen2-tokenizer");
            return Qwen25Lazy.Value;
        }
    }

    /// <summary>The ids of a scripted reply: its text, then &lt;|im_end|&gt;.</summary>
    public static int[] Reply(string text) => [.. Qwen25.Encode(text), QwenAddedTokens.ImEndId];
}
