using Kefu.Testing;

namespace Kefu.Text.Tests;

/// <summary>
/// The real Qwen2 vocabulary from ../shared/qwen2-tokenizer, loaded once per test run (about a second each).
/// Tests that use it skip, saying why, when the shared folder is absent.
/// </summary>
internal static class TestTokenizers
{
    private static readonly Lazy<Qwen2Tokenizer> Qwen2Lazy = new(() => Qwen2Tokenizer.FromDirectory(Directory));
    private static readonly Lazy<Qwen2Tokenizer> Qwen25Lazy = new(() =>
        Qwen2Tokenizer.FromFiles(Path.Combine(Directory, "vocab.json"), Path.Combine(Directory, "merges.txt"), QwenAddedTokens.Qwen25));

    /// <summary>The shared tokenizer folder (skips the calling test when it is absent).</summary>
    public static string Directory => SharedData.RequireDirectory("qwen2-tokenizer");

    /// <summary>Qwen2: the shared folder as a model folder; it declares no added tokens, so the three built-in ones.</summary>
    public static Qwen2Tokenizer Qwen2
    {
        get
        {
            _ = Directory;
            return Qwen2Lazy.Value;
        }
    }

    /// <summary>Qwen2.5: the same vocabulary with the 22 Qwen2.5 added tokens (<c>&lt;tool_call&gt;</c> is 151657).</summary>
    public static Qwen2Tokenizer Qwen25
    {
        get
        {
            _ = Directory;
            return Qwen25Lazy.Value;
        }
    }
}
