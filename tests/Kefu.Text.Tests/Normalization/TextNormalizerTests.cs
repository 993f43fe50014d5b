namespace Kefu.Text.Tests.Normalization;

public sealed class TextNormalizerTests
{
    [Fact]
    public void Normalize_FullWidthLettersDigitsAndPunctuation_BecomeHalfWidthLowerCase()
    {
        TextNormalizer.Normalize("ＱＱ号：１２３４５！加ＶＸ").ShouldBe("qq号:12345!加vx");
    }

    [Fact]
    public void Normalize_IdeographicSpaceAndYenSign_AreFolded()
    {
        TextNormalizer.Normalize("退款\u3000￥１２").ShouldBe("退款 ¥12");
    }

    [Fact]
    public void Normalize_ChineseCharactersAndPunctuationWithoutWidthForms_AreUnchanged()
    {
        TextNormalizer.Normalize("青禾优选。「你好」").ShouldBe("青禾优选。「你好」");
    }

    [Fact]
    public void Normalize_RemoveSeparators_DropsFillerBetweenCharacters()
    {
        const TextNormalizationOptions options = TextNormalizationOptions.Default | TextNormalizationOptions.RemoveSeparators;

        TextNormalizer.Normalize("加 微*信\u200B：W-X_1😀2", options).ShouldBe("加微信wx12");
    }

    [Fact]
    public void Normalize_NoOptions_ReturnsTheTextAsIs()
    {
        TextNormalizer.Normalize("ＡＢ c", TextNormalizationOptions.None).ShouldBe("ＡＢ c");
    }

    [Fact]
    public void NormalizeWithOffsets_MatchInNormalisedText_MapsBackToTheOriginalRange()
    {
        const string original = "请加 Ｖ*x：abc𠮷";
        var normalized = TextNormalizer.NormalizeWithOffsets(original, TextNormalizationOptions.Default | TextNormalizationOptions.RemoveSeparators);

        normalized.Text.ShouldBe("请加vxabc𠮷");
        var (start, length) = normalized.ToSource(normalized.Text.IndexOf("vx", StringComparison.Ordinal), 2);
        original.Substring(start, length).ShouldBe("Ｖ*x");
        var (pairStart, pairLength) = normalized.ToSource(normalized.Text.Length - 2, 2);
        original.Substring(pairStart, pairLength).ShouldBe("𠮷");
    }
}
