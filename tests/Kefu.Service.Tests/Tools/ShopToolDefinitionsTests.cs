using System.Text.Json.Nodes;
using Kefu.Service.Tests.Support;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Service.Tests.Tools;

public sealed class ShopToolDefinitionsTests
{
    [Fact]
    public void Registry_WithTheDemoShopsToolsFile_DescribesTheToolsExactlyAsTheFileDoes()
    {
        var path = DemoShopData.Require("tools.json");
        var expected = JsonNode.Parse(File.ReadAllText(path));

        var registry = new ToolRegistry(ShopDescribedTool.Apply(BuiltInTools(), path), TestMetrics.Create(), NullLogger<ToolRegistry>.Instance);

        JsonNode.DeepEquals(registry.ToOpenAiFormat(), expected).ShouldBeTrue(registry.ToOpenAiFormat().ToJsonString());
        registry.ToDeclarations().Select(d => d.Name).ShouldBe(["query_order", "track_logistics", "request_refund", "change_address"]);
    }

    [Fact]
    public void BuiltInTools_WithoutAShopFile_CarryNoShopsNameOrOrderNumberFormat()
    {
        var registry = new ToolRegistry(BuiltInTools(), TestMetrics.Create(), NullLogger<ToolRegistry>.Instance);

        var text = registry.ToOpenAiFormat().ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        text.Contains("ORD", StringComparison.Ordinal).ShouldBeFalse(text); // no order-number format…
        text.ShouldNotContain("青禾"); // …and no shop name: those come from the shop's tools file
        text.ShouldContain("order_id");
    }

    [Fact]
    public void ShopToolsFile_NamingAToolKefuCannotRun_FailsNamingFileAndTool()
    {
        using var temp = new Kefu.Testing.TempDirectory();
        var path = temp.File("tools.json");
        File.WriteAllText(path, """[{"type":"function","function":{"name":"cancel_order","description":"x","parameters":{"type":"object"}}}]""");

        var error = Should.Throw<InvalidDataException>(() => ShopDescribedTool.Apply(BuiltInTools(), path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("cancel_order");
    }

    private static ITool[] BuiltInTools()
    {
        var client = new ShopApiClient(new HttpClient());
        return [new QueryOrderTool(client), new TrackLogisticsTool(client), new RequestRefundTool(client), new ChangeAddressTool(client)];
    }

    [Fact]
    public void Registry_TwoToolsWithOneName_IsRefused()
    {
        var client = new ShopApiClient(new HttpClient());

        Should.Throw<ArgumentException>(() => new ToolRegistry([new QueryOrderTool(client), new QueryOrderTool(client)], TestMetrics.Create(), NullLogger<ToolRegistry>.Instance));
    }
}
