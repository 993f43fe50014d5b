using Kefu.Data.Reading;
using Kefu.Data.Records;

namespace Kefu.Data.Tests.Reading;

/// <summary>The valid test files read into the ChatML turns the model will see.</summary>
public sealed class FormatReadingTests
{
    private static readonly LoadedDataset Valid = new DatasetLoader(TestFiles.Root).Load([TestFiles.Valid()]);

    private static DataRecord Record(string id) => Valid.Records.Single(r => r.Id == id);

    private static string[] Roles(DataRecord record) => [.. record.Turns.Select(t => t.Role)];

    [Fact]
    public void Alpaca_SeedTranscriptInInput_BecomesRealTurnsAndTheTaskInstructionIsLeftOut()
    {
        var record = Record("al-1");

        Roles(record).ShouldBe(["user", "assistant", "user", "assistant"]);
        record.Turns[0].Content.ShouldBe("我的订单什么时候到?");
        record.Turns[1].Content.ShouldBe("请提供订单号");
        record.Turns[2].Content.ShouldBe("ORD12345");
        record.Turns[3].Content.ShouldStartWith("您的订单预计明日送达");
        record.Turns.ShouldNotContain(t => t.Content.Contains("处理用户咨询", StringComparison.Ordinal));
    }

    [Fact]
    public void Alpaca_FullWidthColonTranscriptEndingWithTheAgent_MakesTheInstructionTheNextQuestion()
    {
        var record = Valid.Records.Single(r => r.File.RelativePath == "alpaca.jsonl" && r.Line == 2);

        Roles(record).ShouldBe(["user", "assistant", "user", "assistant"]);
        record.Turns[0].Content.ShouldBe("订单还没发货");
        record.Turns[1].Content.ShouldBe("好的，请问新地址是？");
        record.Turns[2].Content.ShouldBe("我的地址写错了还能改吗？");
    }

    [Fact]
    public void Alpaca_HistoryAndSystem_BecomeLeadingTurns()
    {
        var record = Record("al-2");

        Roles(record).ShouldBe(["system", "user", "assistant", "user", "assistant"]);
        record.Turns[1].Content.ShouldBe("新疆能发货吗？");
        record.Turns[3].Content.ShouldBe("那满多少包邮呢？");
    }

    [Fact]
    public void Alpaca_RecordInAPrettyPrintedArray_StartsOnTheLineOfItsBrace()
    {
        Record("al-1").Line.ShouldBe(2);
        Record("al-2").Line.ShouldBe(8);
    }

    [Fact]
    public void Messages_ToolCallsAndToolResults_AreKeptWithCompactArguments()
    {
        var record = Record("m-1");

        Roles(record).ShouldBe(["system", "user", "assistant", "tool", "assistant"]);
        var call = record.Turns[2].ToolCalls.ShouldHaveSingleItem();
        call.Name.ShouldBe("track_logistics");
        call.ArgumentsJson.ShouldBe("""{"order_id":"ORD12347"}""");
        record.Turns[2].Content.ShouldBe("好的，我来帮您查询。");
        record.Tools.Select(t => t.Name).ShouldBe(["query_order", "track_logistics"]);
    }

    [Fact]
    public void Messages_TextContentParts_AreJoined() =>
        Record("m-2").Turns[0].Content.ShouldBe("优惠券可以叠加吗？");

    [Fact]
    public void ShareGpt_FunctionCallAndObservation_BecomeAToolCallTurnAndAToolTurn()
    {
        var record = Record("sg-1");

        Roles(record).ShouldBe(["system", "user", "assistant", "tool", "assistant", "user", "assistant"]);
        record.Turns[2].ToolCalls.ShouldHaveSingleItem().ShouldBe(new Kefu.Text.ToolCall("query_order", """{"order_id":"ORD12348"}"""));
        record.Tools.Count.ShouldBe(2);
        record.Category.ShouldBe(DataCategory.Dialogue);
        record.CategorySource.ShouldBe(CategorySource.Field);
    }

    [Fact]
    public void Csv_QuotedMultiLineAnswerWithDoubledQuotes_IsOneRecordOnItsFirstLine()
    {
        var record = Record("faq-002");

        record.Line.ShouldBe(3);
        record.Turns[1].Content.ShouldBe("确认收货后在订单页点击\"申请发票\"，\n电子普通发票1-3个工作日发到账户邮箱。");
        Record("faq-003").Line.ShouldBe(5);
    }

    [Fact]
    public void Categories_ComeFromTheFieldOrAreInferredWithAReason()
    {
        Record("faq-001").CategorySource.ShouldBe(CategorySource.Field);
        Record("faq-002").Category.ShouldBe(DataCategory.Knowledge);
        Record("faq-002").CategorySource.ShouldBe(CategorySource.Inferred);
        Record("faq-003").Category.ShouldBe(DataCategory.Exception);
        Record("faq-003").CategoryReason.ShouldContain("投诉");
        Record("al-1").Category.ShouldBe(DataCategory.Dialogue);
        Record("m-1").Category.ShouldBe(DataCategory.Dialogue);
    }

    [Fact]
    public void RecordsWithoutAnId_GetTheirPathAndLine() =>
        Valid.Records.Single(r => r.File.RelativePath == "alpaca.jsonl" && r.Line == 1).Id.ShouldBe("alpaca.jsonl:1");
}
