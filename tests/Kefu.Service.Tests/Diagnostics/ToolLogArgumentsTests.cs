using System.Text.Json;
using Kefu.Service.Tools;

namespace Kefu.Service.Tests.Diagnostics;

public sealed class ToolLogArgumentsTests
{
    [Fact]
    public void ArgumentsForLog_FreeTextArgument_IsShownAsItsLengthOnly()
    {
        using var arguments = JsonDocument.Parse("""{"order_id":"ORD12345","new_address":"上海市世纪大道100号 13812345678"}""");

        var logged = ToolRegistry.ArgumentsForLog(arguments.RootElement);

        logged.ShouldBe("""{"order_id":"ORD12345","new_address":"<23 chars>"}""");
    }

    [Fact]
    public void ArgumentsForLog_ChoiceAndNumbers_StayAsTheyAre()
    {
        using var arguments = JsonDocument.Parse("""{"order_id":"ORD12345","refund_type":"仅退款","count":2}""");

        ToolRegistry.ArgumentsForLog(arguments.RootElement).ShouldBe("""{"order_id":"ORD12345","refund_type":"仅退款","count":2}""");
    }
}
