namespace Kefu.Text.Tests.Templates;

public sealed class ToolCallParserTests
{
    [Fact]
    public void Parse_WellFormedCall_ExtractsNameArgumentsAndText()
    {
        var result = ToolCallParser.Parse("好的，我帮您查一下。\n<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call>");

        result.Text.ShouldBe("好的，我帮您查一下。");
        result.Calls.ShouldBe([new ToolCall("query_order", """{"order_id": "ORD12345"}""")]);
        result.Problems.ShouldBeEmpty();
        result.IsClean.ShouldBeTrue();
    }

    [Fact]
    public void Parse_NoToolCall_ReturnsTheTextUnchanged()
    {
        var result = ToolCallParser.Parse("  您好，请问有什么可以帮您？\n");

        result.Text.ShouldBe("  您好，请问有什么可以帮您？\n");
        result.Calls.ShouldBeEmpty();
        result.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_SeveralCalls_ReturnsThemInOrder()
    {
        var result = ToolCallParser.Parse(
            "<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD1\"}}\n</tool_call>\n" +
            "<tool_call>\n{\"name\": \"track_logistics\", \"arguments\": {\"order_id\": \"ORD1\"}}\n</tool_call>");

        result.Calls.Select(c => c.Name).ShouldBe(["query_order", "track_logistics"]);
        result.Text.ShouldBe("");
        result.Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_UnclosedTag_StillReadsTheCallAndSaysSo()
    {
        var result = ToolCallParser.Parse("<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD1\"}}");

        result.Calls.ShouldBe([new ToolCall("query_order", """{"order_id": "ORD1"}""")]);
        result.Problems.ShouldHaveSingleItem().ShouldContain("not closed");
    }

    [Fact]
    public void Parse_InvalidJson_ReportsItAndKeepsTheOtherCalls()
    {
        var result = ToolCallParser.Parse(
            "<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \n</tool_call>" +
            "<tool_call>{\"name\": \"track_logistics\", \"arguments\": {}}</tool_call>");

        result.Calls.ShouldBe([new ToolCall("track_logistics", "{}")]);
        result.Problems.ShouldHaveSingleItem().ShouldContain("Tool call 1: invalid JSON");
    }

    [Theory]
    [InlineData("{\"arguments\": {}}")]
    [InlineData("{\"name\": \"\", \"arguments\": {}}")]
    [InlineData("{\"name\": 42, \"arguments\": {}}")]
    public void Parse_MissingOrBadName_DropsTheCallWithAProblem(string json)
    {
        var result = ToolCallParser.Parse($"<tool_call>{json}</tool_call>");

        result.Calls.ShouldBeEmpty();
        result.Problems.ShouldHaveSingleItem().ShouldContain("\"name\"");
    }

    [Fact]
    public void Parse_ArgumentsAsJsonString_DecodesThemAndSaysSo()
    {
        var result = ToolCallParser.Parse("<tool_call>{\"name\": \"query_order\", \"arguments\": \"{\\\"order_id\\\": \\\"ORD1\\\"}\"}</tool_call>");

        result.Calls.ShouldBe([new ToolCall("query_order", """{"order_id": "ORD1"}""")]);
        result.Problems.ShouldHaveSingleItem().ShouldContain("JSON string");
    }

    [Fact]
    public void Parse_ArgumentsNotAnObject_DropsTheCall()
    {
        var result = ToolCallParser.Parse("<tool_call>{\"name\": \"query_order\", \"arguments\": [1, 2]}</tool_call>");

        result.Calls.ShouldBeEmpty();
        result.Problems.ShouldHaveSingleItem().ShouldContain("an array");
    }

    [Fact]
    public void Parse_MissingArguments_MeansAnEmptyObject()
    {
        ToolCallParser.Parse("<tool_call>{\"name\": \"list_coupons\"}</tool_call>").Calls
            .ShouldBe([new ToolCall("list_coupons", "{}")]);
    }

    [Fact]
    public void Parse_TrailingGarbageInsideTheBlock_KeepsTheCallAndReportsTheGarbage()
    {
        var result = ToolCallParser.Parse("<tool_call>{\"name\": \"query_order\", \"arguments\": {}} 请稍等</tool_call>");

        result.Calls.ShouldBe([new ToolCall("query_order", "{}")]);
        result.Problems.ShouldHaveSingleItem().ShouldContain("请稍等");
    }

    [Fact]
    public void Parse_TwoObjectsInOneBlock_ReadsBoth()
    {
        var result = ToolCallParser.Parse("<tool_call>\n{\"name\": \"a\", \"arguments\": {}}\n{\"name\": \"b\", \"arguments\": {}}\n</tool_call>");

        result.Calls.Select(c => c.Name).ShouldBe(["a", "b"]);
        result.Problems.ShouldHaveSingleItem().ShouldContain("more than one");
    }

    [Fact]
    public void Parse_StrayClosingTag_IsRemovedFromTheText()
    {
        var result = ToolCallParser.Parse("好的</tool_call>");

        result.Text.ShouldBe("好的");
        result.Problems.ShouldHaveSingleItem().ShouldContain("no <tool_call>");
    }

    [Fact]
    public void Parse_CodeFenceInsideTheBlock_IsTolerated()
    {
        ToolCallParser.Parse("<tool_call>\n```json\n{\"name\": \"a\", \"arguments\": {\"x\": 1}}\n```\n</tool_call>").Calls
            .ShouldBe([new ToolCall("a", """{"x": 1}""")]);
    }

    [Fact]
    public void Parse_OpeningTagInsideAnUnclosedBlock_StartsANewBlock()
    {
        var result = ToolCallParser.Parse("<tool_call>{\"name\": \"a\"<tool_call>{\"name\": \"b\", \"arguments\": {}}</tool_call>");

        result.Calls.ShouldBe([new ToolCall("b", "{}")]);
        result.Problems.Count.ShouldBe(2); // block 1 unclosed, block 1 invalid JSON
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("<tool_call>")]
    [InlineData("<tool_call></tool_call>")]
    [InlineData("<tool_call>null</tool_call>")]
    [InlineData("<tool_call>\"text\"</tool_call>")]
    [InlineData("<tool_call>{{{{</tool_call></tool_call><tool_call>")]
    [InlineData("<tool_call>{\"name\": \"a\", \"arguments\": {}},,,]]]</tool_call>")]
    [InlineData("<tool_call>\uD800{}</tool_call>")]
    public void Parse_Garbage_NeverThrows(string? output)
    {
        var result = ToolCallParser.Parse(output!);

        result.ShouldNotBeNull();
        if (output?.Contains("<tool_call>", StringComparison.Ordinal) == true)
            result.Problems.ShouldNotBeEmpty();
    }

    [Fact]
    public void Parse_RenderedToolCall_RoundTripsThroughTheTemplate()
    {
        ChatTurn[] turns = [new("user", "x"), new("assistant", "稍等。") { ToolCalls = [new ToolCall("query_order", """{"order_id":"ORD12345"}""")] }];
        var rendered = ChatTemplate.Render(turns, false);
        var reply = rendered[(rendered.LastIndexOf("<|im_start|>assistant\n", StringComparison.Ordinal) + "<|im_start|>assistant\n".Length)..]
            .Replace("<|im_end|>\n", "", StringComparison.Ordinal);

        var result = ToolCallParser.Parse(reply);

        result.Text.ShouldBe("稍等。");
        result.Calls.ShouldBe([new ToolCall("query_order", """{"order_id": "ORD12345"}""")]);
        result.IsClean.ShouldBeTrue();
    }
}
