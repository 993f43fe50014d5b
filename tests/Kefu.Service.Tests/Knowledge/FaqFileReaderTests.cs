using Kefu.Service.Knowledge;

namespace Kefu.Service.Tests.Knowledge;

public sealed class FaqFileReaderTests
{
    [Fact]
    public void ReadCsv_QuotedFieldsWithCommasAndLineBreaks_AreReadWhole()
    {
        const string csv = "id,question,answer,category\nfaq-001,退货运费谁出？,\"质量问题我们出，\n无理由您出。\",knowledge\nfaq-002,包邮吗,满59元包邮,knowledge\n";

        var chunks = FaqFileReader.ReadCsv(csv, "faq.csv");

        chunks.Count.ShouldBe(2);
        chunks[0].ShouldBe(new KnowledgeChunk("faq-001", "退货运费谁出？", "质量问题我们出，\n无理由您出。", KnowledgeChunkKind.Faq));
        chunks[1].Anchor.ShouldBe("faq-002");
    }

    [Fact]
    public void ReadCsv_WithoutAnswerColumn_FailsNamingTheColumn()
    {
        var error = Should.Throw<KnowledgeFormatException>(() => FaqFileReader.ReadCsv("id,question\n1,你好\n", "faq.csv"));

        error.Message.ShouldBe("faq.csv:1: answer: missing column (header is: id,question)");
    }

    [Fact]
    public void ReadCsv_EmptyAnswer_FailsNamingLineAndField()
    {
        var error = Should.Throw<KnowledgeFormatException>(() => FaqFileReader.ReadCsv("question,answer\n包邮吗,满59元\n发票怎么开,\n", "faq.csv"));

        (error.Line, error.Field).ShouldBe((3, "answer"));
    }

    [Fact]
    public void ReadCsv_WithoutIdColumn_AnchorsByLine()
    {
        FaqFileReader.ReadCsv("question,answer\n包邮吗,满59元包邮\n", "faq.csv").ShouldHaveSingleItem().Anchor.ShouldBe("line 2");
    }

    [Fact]
    public void ReadJsonLines_AlpacaAndQuestionAnswerRecords_AreBothRead()
    {
        const string jsonl = """
            {"id": "k-1", "instruction": "金卡有什么好处", "input": "", "output": "9.5折，每单运费险。"}

            {"question": "积分会过期吗", "answer": "次年12月31日过期。"}
            """;

        var chunks = FaqFileReader.ReadJsonLines(jsonl, "faq.jsonl");

        chunks.ShouldBe([
            new KnowledgeChunk("k-1", "金卡有什么好处", "9.5折，每单运费险。", KnowledgeChunkKind.Faq),
            new KnowledgeChunk("line 3", "积分会过期吗", "次年12月31日过期。", KnowledgeChunkKind.Faq),
        ]);
    }

    [Fact]
    public void ReadJsonLines_BrokenLine_FailsNamingTheLine()
    {
        var error = Should.Throw<KnowledgeFormatException>(() => FaqFileReader.ReadJsonLines("{\"question\":\"a\",\"answer\":\"b\"}\n{oops\n", "faq.jsonl"));

        error.Line.ShouldBe(2);
        error.Message.ShouldStartWith("faq.jsonl:2: invalid JSON");
    }

    [Fact]
    public void ReadJsonLines_AnswerNotAString_FailsNamingTheField()
    {
        var error = Should.Throw<KnowledgeFormatException>(() => FaqFileReader.ReadJsonLines("{\"question\":\"a\",\"answer\":3}", "faq.jsonl"));

        (error.Line, error.Field).ShouldBe((1, "answer"));
    }
}
