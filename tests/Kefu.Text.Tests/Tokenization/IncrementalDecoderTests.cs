namespace Kefu.Text.Tests.Tokenization;

public sealed class IncrementalDecoderTests
{
    [Theory]
    [InlineData("青禾优选：满59元包邮，新疆/西藏/青海加15元。")]
    [InlineData("🤗 Transformers 提供了可以轻松地下载并且训练先进的预训练模型的 API 和工具。")]
    [InlineData("😶‍🌫️ 𠮷野家 Cửa Việt \n\t done")]
    public void Append_IdsOneAtATime_ConcatenateToDecodeOfAll(string text)
    {
        var tokenizer = TestTokenizers.Qwen2;
        var ids = tokenizer.Encode(text);
        var decoder = tokenizer.CreateIncrementalDecoder();

        var pieces = ids.Select(decoder.Append).ToList();
        pieces.Add(decoder.Flush());

        string.Concat(pieces).ShouldBe(tokenizer.Decode(ids));
        string.Concat(pieces).ShouldBe(text);
        foreach (var piece in pieces)
        {
            piece.ShouldNotContain('\uFFFD');
            if (piece.Length > 0)
            {
                char.IsLowSurrogate(piece[0]).ShouldBeFalse();
                char.IsHighSurrogate(piece[^1]).ShouldBeFalse();
            }
        }
    }

    [Fact]
    public void Append_CharacterSpanningThreeTokens_IsEmittedOnlyWhenComplete()
    {
        var tokenizer = TestTokenizers.Qwen2;
        var decoder = tokenizer.CreateIncrementalDecoder();

        // " 🦙" is [11162, 99, 247]: a space and the first bytes, then one byte each.
        decoder.Append(11162).ShouldBe(" ");
        decoder.Append(99).ShouldBe("");
        decoder.Append(247).ShouldBe("🦙");
        decoder.Flush().ShouldBe("");
    }

    [Fact]
    public void Flush_UnfinishedCharacter_BecomesOneReplacementCharacterAndResets()
    {
        var tokenizer = TestTokenizers.Qwen2;
        var decoder = tokenizer.CreateIncrementalDecoder();
        decoder.Append(11162);
        decoder.Append(99);

        decoder.Flush().ShouldBe("\uFFFD");
        decoder.Append(14990).ShouldBe("hello");
    }

    [Fact]
    public void Append_SpecialTokens_AreSkippedOnlyWhenAsked()
    {
        var tokenizer = TestTokenizers.Qwen25;
        var ids = tokenizer.Encode("<tool_call>\n{}\n</tool_call><|im_end|>");

        string.Concat(ids.Select(tokenizer.CreateIncrementalDecoder(skipSpecialTokens: true).Append)).ShouldBe("<tool_call>\n{}\n</tool_call>");
        string.Concat(ids.Select(tokenizer.CreateIncrementalDecoder().Append)).ShouldBe("<tool_call>\n{}\n</tool_call><|im_end|>");
    }
}
