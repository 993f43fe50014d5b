using Kefu.Service.Knowledge;

namespace Kefu.Service.Tests.Knowledge;

public sealed class SearchTextTests
{
    [Fact]
    public void Runs_MixedChineseAndLatin_SplitsIntoCjkRunsAndLowerCasedWords()
    {
        var runs = SearchText.Runs("退货ORD12345，运费 Free");

        runs.Select(r => (r.IsCjk, r.ToString())).ShouldBe([(true, "退货"), (false, "ord12345"), (true, "运费"), (false, "free")]);
    }

    [Fact]
    public void Normalize_FullWidthLettersAndDigits_BecomeHalfWidth()
    {
        SearchText.Normalize("ＯＲＤ１２３４５").ShouldBe("ord12345");
    }

    [Fact]
    public void IndexTerms_CjkRun_HasEveryUnigramAndOverlappingBigram()
    {
        SearchText.IndexTerms("运费险").ShouldBe(["运", "运费", "费", "费险", "险"]);
    }

    [Fact]
    public void QueryTerms_CjkRun_AreBigramsOnly_ButALoneCharacterStays()
    {
        var terms = SearchText.QueryTerms(SearchText.Runs("运费险？被"));

        terms.ShouldBe(["运费", "费险", "被"]);
    }

    [Fact]
    public void ToIndexedForm_JoinsTermsWithSpaces_ForTheFts5Tokenizer()
    {
        SearchText.ToIndexedForm("开发票 VAT").ShouldBe("开 开发 发 发票 票 vat");
    }
}
