using System.Text.Json.Nodes;
using Kefu.Service.Tests.Support;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Service.Tests.Tools;

public sealed class ShopToolDefinitionsTests
{
    [Fact]
    public void Registry_InOpenAiFormat_EqualsTheDemoShopsToolsJson()
    {
        var expected = JsonNode.Parse(File.ReadAllText(DemoShopData.Require("tools.json")));
        var client = new ShopApiClient(new HttpClient());
        ITool[] tools = [new QueryOrderTool(client), new TrackLogisticsTool(client), new RequestRefundTool(client), new ChangeAddressTool(client)];

        var registry = new ToolRegistry(tools, TestMetrics.Create(), NullLogger<ToolRegistry>.Instance);

        JsonNode.DeepEquals(registry.ToOpenAiFormat(), expected).ShouldBeTrue(registry.ToOpenAiFormat().ToJsonString());
        registry.ToDeclarations().Select(d => d.Name).ShouldBe(["query_order", "track_logistics", "request_refund", "change_address"]);
    }

    [Fact]
    public void Registry_TwoToolsWithOneName_IsRefused()
    {
        var client = new ShopApiClient(new HttpClient());

        Should.Throw<ArgumentException>(() => new ToolRegistry([new QueryOrderTool(client), new QueryOrderTool(client)], TestMetrics.Create(), NullLogger<ToolRegistry>.Instance));
    }
}
