using Kefu.Testing;
using Kefu.Text;

namespace Kefu.Data.Tests;

/// <summary>
/// Loads the real Qwen2 tokenizer once per test class (about a second). Tests that touch <see cref="Tokenizer"/>
/// skip when ../shared/qwen2-tokenizer is absent; the skip happens inside the test, where xUnit can report it.
/// </summary>
public sealed class TokenizerFixture
{
    private readonly Lazy<(Qwen2Tokenizer Tokenizer, string Directory)> _loaded = new(() =>
    {
        var directory = SharedData.RequireDirectory("qwen2-tokenizer");
        return (Qwen2Tokenizer.FromDirectory(directory), directory);
    });

    public Qwen2Tokenizer Tokenizer => _loaded.Value.Tokenizer;

    public string Directory => _loaded.Value.Directory;
}
