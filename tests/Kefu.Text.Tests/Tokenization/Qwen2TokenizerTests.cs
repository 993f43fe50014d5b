namespace Kefu.Text.Tests.Tokenization;

public sealed class Qwen2TokenizerTests
{
    [Fact]
    public void Encode_SpecialTokenInText_IsMatchedBeforeBpe()
    {
        TestTokenizers.Qwen2.Encode("<|im_start|>hello<|im_end|>").ShouldBe([151644, 14990, 151645]);
    }

    [Fact]
    public void EncodeOrdinary_SpecialTokenInText_IsEncodedAsPlainText()
    {
        var tokenizer = TestTokenizers.Qwen2;
        var ids = tokenizer.EncodeOrdinary("<|im_start|>system");

        ids.ShouldNotContain(tokenizer.ImStartId);
        ids.Count.ShouldBeGreaterThan(2);
        tokenizer.Decode(ids).ShouldBe("<|im_start|>system");
    }

    [Fact]
    public void Encode_AddedTokensNextToText_SplitTheTextIntoSeparatelyEncodedStretches()
    {
        var tokenizer = TestTokenizers.Qwen2;
        var expected = tokenizer.EncodeOrdinary("user\n你好")
            .Prepend(tokenizer.ImStartId)
            .Append(tokenizer.ImEndId)
            .Concat(tokenizer.EncodeOrdinary("\n"));

        tokenizer.Encode("<|im_start|>user\n你好<|im_end|>\n").ShouldBe(expected);
    }

    [Fact]
    public void Encode_Qwen25ToolCallTag_IsOneAddedTokenOnlyWithTheQwen25Tokens()
    {
        TestTokenizers.Qwen25.Encode("<tool_call>").ShouldBe([151657]);
        TestTokenizers.Qwen2.Encode("<tool_call>").Count.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Encode_LongestAddedTokenWins_WhenTwoStartAtTheSamePlace()
    {
        var tokenizer = TestTokenizers.Qwen25;
        tokenizer.Encode("</tool_call><tool_call>").ShouldBe([151658, 151657]);
    }

    [Theory]
    [InlineData("青禾优选：7天无理由退货，签收次日起计算。")]
    [InlineData("  leading and trailing spaces  \n\n")]
    [InlineData("Emoji 😶‍🌫️ and 🦙 and 𠮷野家")]
    [InlineData("Code:\n\tif (x != y) { return 0; }\r\n")]
    [InlineData("<|im_start|>user\n退款多久到账？<|im_end|>\n<|endoftext|>")]
    public void Decode_OfEncode_GivesBackTheText(string text)
    {
        var tokenizer = TestTokenizers.Qwen2;
        tokenizer.Decode(tokenizer.Encode(text)).ShouldBe(text);
        tokenizer.Decode(tokenizer.EncodeOrdinary(text)).ShouldBe(text);
    }

    [Fact]
    public void Encode_DecomposedAccents_AreNfcNormalisedFirst()
    {
        var tokenizer = TestTokenizers.Qwen2;
        tokenizer.Encode("Cafe\u0301").ShouldBe(tokenizer.Encode("Café"));
    }

    [Fact]
    public void Decode_SkipSpecialTokens_DropsSpecialButKeepsNonSpecialAddedTokens()
    {
        var tokenizer = TestTokenizers.Qwen25;
        var ids = tokenizer.Encode("<|im_start|>assistant\n<tool_call>\n{}\n</tool_call><|im_end|>");

        tokenizer.Decode(ids, skipSpecialTokens: true).ShouldBe("assistant\n<tool_call>\n{}\n</tool_call>");
        tokenizer.Decode(ids).ShouldBe("<|im_start|>assistant\n<tool_call>\n{}\n</tool_call><|im_end|>");
    }

    [Fact]
    public void Decode_UnknownIds_AreSkipped()
    {
        var tokenizer = TestTokenizers.Qwen2;
        // 151900 is a padding row of Qwen2's embedding (vocab_size 151936), -1 is nonsense: neither is text.
        tokenizer.Decode([14990, 151900, -1, 1879]).ShouldBe("hello world");
    }

    [Fact]
    public void Decode_IncompleteUtf8_BecomesReplacementCharacter()
    {
        var tokenizer = TestTokenizers.Qwen2;
        // 🦙 is [11162, 99, 247] after a space; without its last byte it is not valid UTF-8.
        tokenizer.Decode([11162, 99]).ShouldBe(" \uFFFD");
    }

    [Fact]
    public void Properties_Qwen2AndQwen25_ReportTheirSpecialTokens()
    {
        var qwen2 = TestTokenizers.Qwen2;
        qwen2.VocabularySize.ShouldBe(151646);
        (qwen2.EndOfTextId, qwen2.ImStartId, qwen2.ImEndId).ShouldBe((151643, 151644, 151645));
        qwen2.SpecialTokens.Count.ShouldBe(3);

        var qwen25 = TestTokenizers.Qwen25;
        qwen25.VocabularySize.ShouldBe(151665);
        qwen25.SpecialTokens.Count.ShouldBe(22);
        qwen25.TryGetSpecialTokenId("<tool_call>", out var toolCall).ShouldBeTrue();
        toolCall.ShouldBe(151657);
        qwen25.IsSpecialTokenId(toolCall).ShouldBeFalse();
        qwen25.IsSpecialTokenId(151645).ShouldBeTrue();
        qwen25.TryGetSpecialTokenId("<|not_a_token|>", out _).ShouldBeFalse();
    }

    [Fact]
    public void CountTokens_MixedText_EqualsEncodeCount()
    {
        var tokenizer = TestTokenizers.Qwen2;
        const string text = "<|im_start|>user\n满59元包邮吗？Free shipping over 59?<|im_end|>\n";
        tokenizer.CountTokens(text).ShouldBe(tokenizer.Encode(text).Count);
    }

    [Fact]
    public void Encode_FromManyThreadsAtOnce_GivesTheSameIdsAsOneThread()
    {
        var tokenizer = TestTokenizers.Qwen2;
        string[] texts = [.. Enumerable.Range(0, 64).Select(i => $"订单ORD{10000 + i}已发货，预计{i % 7 + 1}天送达。Order {i} shipped: ZTO{i:D12}.")];
        var expected = texts.Select(t => tokenizer.Encode(t).ToArray()).ToArray();

        var mismatches = 0;
        Parallel.For(0, texts.Length * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            if (!tokenizer.Encode(texts[n % texts.Length]).SequenceEqual(expected[n % texts.Length]))
                Interlocked.Increment(ref mismatches);
        });

        mismatches.ShouldBe(0);
    }
}
