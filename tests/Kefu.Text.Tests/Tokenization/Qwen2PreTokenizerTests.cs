using System.Text;
using System.Text.RegularExpressions;
using Kefu.Text.Tokenization;
using Microsoft.ML.Tokenizers;

namespace Kefu.Text.Tests.Tokenization;

public sealed class Qwen2PreTokenizerTests
{
    private const string Qwen2Pattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    // Characters where the pattern's alternatives compete. Nothing outside the BMP: there a UTF-16 regex sees two
    // surrogates instead of one character and splits differently from the reference (see the tests below), which
    // is why the scanner exists.
    private static readonly string[] Alphabet =
    [
        "a", "Z", "é", "я", "中", "文", "ー", "5", "٣", "½", " ", " ", " ", "  ", "\t", "\n", "\r", "\r\n", "\u00A0",
        "\u3000", "\u2028", "\u0085", "\v", "'", "'s", "'S", "'t", "'re", "'Ve", "'m", "'ll", "'LL", "'d", "'x", "!",
        ".", ",", "，", "。", "？", "-", "_", "(", "\"", "`", "\u0301", "\u200d", "☺", "✅", "\u00AD", "\u001C",
    ];

    [Fact]
    public void Split_RandomTexts_AgreesWithTheRegexOnBmpLettersAndDigits()
    {
        var regex = new RegexPreTokenizer(new Regex(Qwen2Pattern, RegexOptions.Compiled), null);
        var random = new Random(20240601);
        for (var n = 0; n < 3000; n++)
        {
            var builder = new StringBuilder();
            var length = random.Next(1, 14);
            for (var i = 0; i < length; i++)
                builder.Append(Alphabet[random.Next(Alphabet.Length)]);
            var text = builder.ToString();

            var expected = regex.PreTokenize(text).ToList();
            var actual = Qwen2PreTokenizer.Split(text);
            actual.ShouldBe(expected, $"text {System.Text.Json.JsonSerializer.Serialize(text)}");
        }
    }

    [Theory]
    [InlineData("Hello world", new[] { "Hello", " world" })]
    [InlineData("I've 333", new[] { "I", "'ve", " ", "3", "3", "3" })]
    [InlineData("   Hello", new[] { "  ", " Hello" })]
    [InlineData("a\n\n  b", new[] { "a", "\n\n", " ", " b" })]
    [InlineData("我想在apple工作", new[] { "我想在apple工作" })]
    [InlineData("!!!\n\nok", new[] { "!!!\n\n", "ok" })]
    public void Split_Examples_FollowThePattern(string text, string[] expected)
    {
        Qwen2PreTokenizer.Split(text).Select(p => text.Substring(p.Offset, p.Length)).ShouldBe(expected);
    }

    [Fact]
    public void Split_SupplementaryLetters_AreLetters()
    {
        // 𠮷 (U+20BB7, a surrogate pair) is \p{L}: one word with its neighbours, as Oniguruma sees it.
        const string text = " 吉𠮷野家";
        Qwen2PreTokenizer.Split(text).ShouldBe([(0, text.Length)]);
    }

    [Fact]
    public void Split_EmojiBeforeLetters_IsOneCharacterThatJoinsTheWord()
    {
        // [^\r\n\p{L}\p{N}]?\p{L}+ takes one non-letter code point before a word; an emoji is one code point.
        Qwen2PreTokenizer.Split("🦙é -").ShouldBe([(0, 3), (3, 2)]);
    }
}
