using System.Text;
using Kefu.Testing;
using Kefu.Text.Tokenization;

namespace Kefu.Text.Tests.Tokenization;

public sealed class TokenizerLoadingTests
{
    [Fact]
    public void FromDirectory_FolderWithoutAddedTokens_FallsBackToTheThreeQwen2SpecialTokens()
    {
        var tokenizer = Qwen2Tokenizer.FromDirectory(TestTokenizers.Directory);

        tokenizer.AddedTokens.ShouldBe(QwenAddedTokens.Qwen2);
        tokenizer.Encode("<|im_start|>hello<|im_end|>").ShouldBe([151644, 14990, 151645]);
    }

    [Fact]
    public void FromDirectory_TokenizerConfigWithAddedTokensDecoder_UsesThem()
    {
        using var folder = ModelFolderWithRealVocabulary();
        File.Copy(Path.Combine(TestTokenizers.Directory, "tokenizer_config.qwen2-0.5b-instruct.json"), folder.File("tokenizer_config.json"));

        var tokenizer = Qwen2Tokenizer.FromDirectory(folder.Path);

        tokenizer.AddedTokens.ShouldBe(QwenAddedTokens.Qwen2);
    }

    [Fact]
    public void FromDirectory_AddedTokensJson_LoadsTheQwen25TokensWithToolCallNotSpecial()
    {
        using var folder = ModelFolderWithRealVocabulary();
        File.Copy(Path.Combine(TestTokenizers.Directory, "added_tokens.qwen2.5.json"), folder.File("added_tokens.json"));

        var tokenizer = Qwen2Tokenizer.FromDirectory(folder.Path);

        tokenizer.SpecialTokens.Count.ShouldBe(22);
        tokenizer.Encode("<tool_call>").ShouldBe([151657]);
        tokenizer.IsSpecialTokenId(151657).ShouldBeFalse();
        tokenizer.IsSpecialTokenId(151656).ShouldBeTrue();
    }

    [Fact]
    public void FromDirectory_TokenizerJsonAddedTokens_TakePrecedenceOverTokenizerConfig()
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("tokenizer.json"), """
            {"version": "1.0", "added_tokens": [
              {"id": 300, "content": "<|endoftext|>", "special": true},
              {"id": 301, "content": "<|im_start|>", "special": true},
              {"id": 302, "content": "<|im_end|>", "special": true},
              {"id": 303, "content": "<tool_call>", "special": false}]}
            """);
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"added_tokens_decoder": {"1": {"content": "<x>"}}}""");

        var tokenizer = Qwen2Tokenizer.FromDirectory(folder.Path);

        (tokenizer.EndOfTextId, tokenizer.ImStartId, tokenizer.ImEndId).ShouldBe((300, 301, 302));
        tokenizer.VocabularySize.ShouldBe(304);
        tokenizer.IsSpecialTokenId(303).ShouldBeFalse();
        tokenizer.Decode(tokenizer.Encode("<|im_start|>hehe<tool_call>")).ShouldBe("<|im_start|>hehe<tool_call>");
    }

    [Fact]
    public void FromDirectory_MissingFolder_SaysSo()
    {
        var missing = Path.Combine(Path.GetTempPath(), "kefu-no-such-model-" + Guid.NewGuid().ToString("N"));

        Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(missing)).Message.ShouldContain(missing);
    }

    [Theory]
    [InlineData("vocab.json")]
    [InlineData("merges.txt")]
    public void FromDirectory_MissingFile_NamesTheFile(string file)
    {
        using var folder = TinyModelFolder();
        File.Delete(folder.File(file));

        var error = Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path));

        error.FilePath.ShouldBe(folder.File(file));
        error.Message.ShouldContain("missing");
    }

    [Fact]
    public void FromDirectory_VocabularyWithBrokenJson_GivesFileAndLine()
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("vocab.json"), "{\n  \"a\": 0,\n  \"b\": 1\n  \"c\": 2\n}");

        var error = Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path));

        error.FilePath.ShouldBe(folder.File("vocab.json"));
        error.LineNumber.ShouldBe(4);
        error.Message.ShouldStartWith($"{folder.File("vocab.json")}:4: ");
    }

    [Theory]
    [InlineData("{\n  \"a\": 0,\n  \"b\": \"one\"\n}", 3, "non-negative integer")]
    [InlineData("{\n  \"a\": 0,\n  \"b\": 0\n}", 3, "is given to both")]
    [InlineData("{\n  \"a\": 0,\n  \"a\": 1\n}", 3, "appears twice")]
    [InlineData("[\"a\"]", 1, "JSON object")]
    public void FromDirectory_VocabularyWithBadEntries_GivesLineAndProblem(string vocabulary, int line, string problem)
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("vocab.json"), vocabulary);

        var error = Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path));

        error.LineNumber.ShouldBe(line);
        error.Message.ShouldContain(problem);
    }

    [Theory]
    [InlineData("#version: 0.2\nh e\nhe", 3, "two tokens")]
    [InlineData("#version: 0.2\nh e\n\nh e", 3, "two tokens")]
    [InlineData("h e\nh  e", 2, "two tokens")]
    [InlineData("h e\nq z", 2, "which vocab.json lacks")]
    public void FromDirectory_MergesWithBadLine_GivesFileAndLine(string merges, int line, string problem)
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("merges.txt"), merges);

        var error = Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path));

        error.FilePath.ShouldBe(folder.File("merges.txt"));
        error.LineNumber.ShouldBe(line);
        error.Message.ShouldContain(problem);
    }

    [Fact]
    public void FromDirectory_VocabularyThatIsNotByteLevel_IsRejected()
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("vocab.json"), File.ReadAllText(folder.File("vocab.json")).Replace("\"hehe\": 257", "\"hehe\": 257, \"he llo\": 258", StringComparison.Ordinal));

        var error = Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path));

        error.FilePath.ShouldBe(folder.File("vocab.json"));
        error.Message.ShouldContain("byte-level");
    }

    [Fact]
    public void FromDirectory_TokenizerConfigWithBadAddedToken_NamesTheField()
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("tokenizer_config.json"), """{"added_tokens_decoder": {"300": {"special": true}}}""");

        Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path))
            .Message.ShouldContain("added_tokens_decoder[\"300\"].content");
    }

    [Fact]
    public void FromDirectory_AddedTokensWithoutImStart_IsRejected()
    {
        using var folder = TinyModelFolder();
        File.WriteAllText(folder.File("added_tokens.json"), """{"<|endoftext|>": 300}""");

        Should.Throw<TokenizerLoadException>(() => Qwen2Tokenizer.FromDirectory(folder.Path)).Message.ShouldContain("<|im_start|>");
    }

    [Fact]
    public void TinyVocabulary_EncodesWithItsMerges()
    {
        using var folder = TinyModelFolder();
        var tokenizer = Qwen2Tokenizer.FromDirectory(folder.Path);

        // 'h' and 'e' are bytes 104 and 101 (ids 104 and 101); "he" is id 256, "hehe" id 257.
        tokenizer.Encode("hehe he").ShouldBe([257, 32, 256]);
        tokenizer.Decode([257, 32, 256]).ShouldBe("hehe he");
    }

    // A byte-level vocabulary of the 256 byte symbols (id = byte) plus "he" and "hehe", with Qwen2's special
    // tokens at 300..302 by default (no added-token file: the built-in ids 151643.. would also work).
    private static TempDirectory TinyModelFolder()
    {
        var folder = new TempDirectory();
        var vocabulary = new StringBuilder("{\n");
        for (var b = 0; b < 256; b++)
            vocabulary.Append("  ").Append(Quoting.Quote(ByteLevelAlphabet.Encode((byte)b).ToString())).Append(": ").Append(b).Append(",\n");
        vocabulary.Append("  \"he\": 256,\n  \"hehe\": 257\n}\n");
        File.WriteAllText(folder.File("vocab.json"), vocabulary.ToString());
        File.WriteAllText(folder.File("merges.txt"), "#version: 0.2\nh e\nhe he\n");
        return folder;
    }

    private static TempDirectory ModelFolderWithRealVocabulary()
    {
        var shared = TestTokenizers.Directory;
        var folder = new TempDirectory();
        File.CreateSymbolicLink(folder.File("vocab.json"), Path.Combine(shared, "vocab.json"));
        File.CreateSymbolicLink(folder.File("merges.txt"), Path.Combine(shared, "merges.txt"));
        return folder;
    }
}
