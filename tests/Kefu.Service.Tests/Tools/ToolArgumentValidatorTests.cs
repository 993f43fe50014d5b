using System.Text.Json;
using Kefu.Service.Tests.Support;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;

namespace Kefu.Service.Tests.Tools;

public sealed class ToolArgumentValidatorTests
{
    // The demo shop's own request_refund schema (samples/ecommerce/tools.json: ORD + 5 digits, a reason length, a type enum).
    private static readonly JsonElement RefundSchema = DemoRefundSchema();

    [Fact]
    public void Validate_CompleteArguments_HasNoErrors()
    {
        Errors("""{"order_id":"ORD12345","reason":"不想要了","refund_type":"仅退款"}""").ShouldBeEmpty();
    }

    [Fact]
    public void Validate_MissingRequired_NamesEachMissingArgument()
    {
        Errors("""{"order_id":"ORD12345"}""").ShouldBe(["reason: required", "refund_type: required"]);
    }

    [Fact]
    public void Validate_PatternEnumTypeAndUnknownProperty_AreAllReported()
    {
        var errors = Errors("""{"order_id":"12345","reason":"x","refund_type":"全额退款","note":1}""");

        errors.ShouldContain("order_id: \"12345\" does not match ^ORD\\d{5}$");
        errors.ShouldContain(e => e.StartsWith("refund_type: must be one of", StringComparison.Ordinal));
        errors.ShouldContain("note: not a parameter of this tool");
    }

    [Fact]
    public void Validate_WrongJsonType_IsReported()
    {
        Errors("""{"order_id":12345,"reason":"x","refund_type":"仅退款"}""").ShouldBe(["order_id: expected string, found number"]);
    }

    [Fact]
    public void Validate_ReasonOverMaxLength_IsReported()
    {
        var reason = new string('长', 201);

        Errors($$"""{"order_id":"ORD12345","reason":"{{reason}}","refund_type":"仅退款"}""").ShouldBe(["reason: longer than 200 characters"]);
    }

    private static List<string> Errors(string json) => ToolArgumentValidator.Validate(RefundSchema, JsonDocument.Parse(json).RootElement);

    private static JsonElement DemoRefundSchema()
    {
        var client = new ShopApiClient(new HttpClient());
        ITool[] builtIn = [new QueryOrderTool(client), new TrackLogisticsTool(client), new RequestRefundTool(client), new ChangeAddressTool(client)];
        return ShopDescribedTool.Apply(builtIn, DemoShopData.Require("tools.json")).Single(t => t.Name == "request_refund").ParametersSchema;
    }
}
