using Kefu.Service.Knowledge;
using Kefu.Service.Tests.Support;
using Kefu.Testing;

namespace Kefu.Service.Tests.Knowledge;

public sealed class SqliteKnowledgeBaseTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("退货的运费要我自己出吗", "退货运费谁出？")]
    [InlineData("电子发票怎么申请", "怎么开发票？")]
    [InlineData("满多少钱可以包邮", "多少钱包邮？")]
    [InlineData("电机坏了保修几年", "保修与维修 > 保修期限")]
    public async Task Search_ChineseParaphrase_FindsTheRightChunkAboveTheAnswerThreshold(string question, string expectedTitle)
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        var hits = await kb.SearchAsync(question, 3, Ct);

        hits[0].Title.ShouldBe(expectedTitle);
        hits[0].Confidence.ShouldBeGreaterThanOrEqualTo(new KefuServiceOptions().AnswerThreshold);
    }

    [Theory]
    [InlineData("今天天气怎么样")]
    [InlineData("股票推荐")]
    [InlineData("帮我写一首诗")]
    public async Task Search_OffTopicQuestion_StaysBelowTheAnswerThreshold(string question)
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        var hits = await kb.SearchAsync(question, 3, Ct);

        (hits.Count == 0 ? 0 : hits[0].Confidence).ShouldBeLessThan(new KefuServiceOptions().AnswerThreshold);
    }

    [Fact]
    public async Task Search_Hit_CitesItsFileAndAnchor()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        var hit = (await kb.SearchAsync("积分会过期吗", 1, Ct)).ShouldHaveSingleItem();

        (hit.Source, hit.Anchor, hit.Kind).ShouldBe(("faq.csv", "f4", KnowledgeChunkKind.Faq));
        hit.Text.ShouldContain("12月31日");
    }

    [Fact]
    public async Task Search_QueryLookingLikeFts5Syntax_IsSearchedAsPlainText()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        var hits = await kb.SearchAsync("发票\" OR NOT * NEAR(运费", 3, Ct);

        hits.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Import_ChangedFile_ReplacesItsChunks_AndASecondOpenOfTheFileSeesIt()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);
        var runningServer = SqliteKnowledgeBase.Open(temp.File("kb.db"));
        (await runningServer.SearchAsync("积分会过期吗", 1, Ct))[0].Text.ShouldContain("12月31日");

        await File.WriteAllTextAsync(temp.File("faq.csv"), "question,answer\n积分会过期吗？,积分永久有效。\n", Ct);
        var report = await new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv")], Ct);

        report.Imported.ShouldHaveSingleItem().Chunks.ShouldBe(1);
        var hits = await runningServer.SearchAsync("积分会过期吗", 5, Ct);
        hits[0].Text.ShouldBe("积分永久有效。");
        hits.ShouldNotContain(h => h.Text.Contains("12月31日"));
        (await runningServer.GetStatsAsync(Ct)).ShouldBe(new KnowledgeStats(2, 3));
    }

    [Fact]
    public async Task Import_UnchangedFile_IsSkipped()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        var report = await new KnowledgeImporter(kb).ImportAsync([temp.Path], Ct);

        report.Imported.ShouldBeEmpty();
        report.Unchanged.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Import_BadFaqFile_FailsWithFileLineAndField_AndKeepsThePreviousVersion()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);
        await File.WriteAllTextAsync(temp.File("faq.csv"), "question,answer\n包邮吗,\n", Ct);

        var error = await Should.ThrowAsync<KnowledgeFormatException>(() => new KnowledgeImporter(kb).ImportAsync([temp.File("faq.csv")], Ct));

        error.Message.ShouldBe($"{temp.File("faq.csv")}:2: answer: empty");
        (await kb.SearchAsync("积分会过期吗", 1, Ct))[0].Text.ShouldContain("12月31日");
    }

    [Fact]
    public async Task RemoveSource_DropsItsChunksFromSearch()
    {
        using var temp = new TempDirectory();
        var kb = await TestKnowledge.CreateAsync(temp);

        (await kb.RemoveSourceAsync(Path.GetFullPath(temp.File("warranty.md")), Ct)).ShouldBeTrue();

        (await kb.SearchAsync("电机保修几年", 3, Ct)).ShouldNotContain(h => h.Source == "warranty.md");
        (await kb.GetStatsAsync(Ct)).ShouldBe(new KnowledgeStats(1, 5));
    }
}
