using Kefu.Service.Knowledge;

namespace Kefu.Service.Tests.Knowledge;

public sealed class MarkdownChunkerTests
{
    [Fact]
    public void Chunk_NestedHeadings_TitleIsTheHeadingPath()
    {
        const string markdown = """
            # 退换货政策

            开头说明。

            ## 7天无理由退货

            签收次日起7天。

            ### 不支持的商品

            贴身衣物。

            ## 质量问题

            15天内可换货。
            """;

        var chunks = new MarkdownChunker().Chunk(markdown, "fallback");

        chunks.Select(c => c.Title).ShouldBe(["退换货政策", "退换货政策 > 7天无理由退货", "退换货政策 > 7天无理由退货 > 不支持的商品", "退换货政策 > 质量问题"]);
        chunks[2].Text.ShouldBe("贴身衣物。");
        chunks.Select(c => c.Anchor).ShouldBe(["§1", "§2", "§3", "§4"]);
        chunks.ShouldAllBe(c => c.Kind == KnowledgeChunkKind.Section);
    }

    [Fact]
    public void Chunk_NoHeadings_UsesTheFallbackTitle()
    {
        var chunks = new MarkdownChunker().Chunk("只有一段文字。", "说明");

        chunks.ShouldHaveSingleItem().Title.ShouldBe("说明");
    }

    [Fact]
    public void Chunk_LongSection_IsSplitBetweenParagraphs_EachPartKeepingTheTitle()
    {
        var paragraphs = Enumerable.Range(1, 6).Select(i => $"第{i}段" + new string('字', 90));
        var markdown = "## 长章节\n\n" + string.Join("\n\n", paragraphs);

        var chunks = new MarkdownChunker { MaxChunkCharacters = 200 }.Chunk(markdown, "doc");

        chunks.Count.ShouldBe(3);
        chunks.ShouldAllBe(c => c.Title == "长章节" && c.Text.Length <= 200);
        chunks.Select(c => c.Anchor).ShouldBe(["§1.1", "§1.2", "§1.3"]);
        string.Concat(chunks.Select(c => c.Text)).ShouldContain("第6段");
    }

    [Fact]
    public void Chunk_HashLineInsideCodeFence_IsNotAHeading()
    {
        const string markdown = "## 命令\n\n```\n# 这是注释\n```\n";

        var chunks = new MarkdownChunker().Chunk(markdown, "doc");

        chunks.ShouldHaveSingleItem().Title.ShouldBe("命令");
        chunks[0].Text.ShouldContain("# 这是注释");
    }
}
