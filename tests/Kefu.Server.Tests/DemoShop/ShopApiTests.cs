using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Api;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.DemoShop;

/// <summary>The demo shop's order API (seeded from samples/ecommerce/orders.json) and its business rules.</summary>
public sealed class ShopApiTests : IAsyncLifetime
{
    private RunningServer? _server;
    private HttpClient? _shop;

    private HttpClient Shop => _shop!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _server = await RunningServer.StartDemoAsync();
        _shop = new HttpClient { BaseAddress = _server.ShopAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _shop?.Dispose();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    [Fact]
    public async Task GetOrder_ReturnsTheSeededOrder()
    {
        var order = await Json.ReadAsync(await Shop.GetAsync("api/orders/ORD12345", Ct));

        order.GetProperty("status").GetString().ShouldBe("已发货");
        order.GetProperty("items")[0].GetProperty("name").GetString()!.ShouldContain("电饭煲");
    }

    [Fact]
    public async Task GetOrder_Unknown_Is404ProblemDetails()
    {
        await ChatApiTests.ShouldBeProblemAsync(await Shop.GetAsync("api/orders/ORD99999", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tracking_ListsCarrierNumberAndEvents()
    {
        var tracking = await Json.ReadAsync(await Shop.GetAsync("api/orders/ORD12354/tracking", Ct));

        tracking.GetProperty("carrier").GetString().ShouldBe("顺丰速运");
        tracking.GetProperty("tracking_no").GetString()!.ShouldStartWith("SF");
        tracking.GetProperty("events").GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ChangeAddress_AfterShipment_Is409_BeforeShipment_IsSaved()
    {
        using var shipped = await Shop.PutAsJsonAsync("api/orders/ORD12345/address", new { new_address = "上海市浦东新区世纪大道100号" }, Ct);
        using var pending = await Shop.PutAsJsonAsync("api/orders/ORD12348/address", new { new_address = "浙江省宁波市海曙区中山西路138号" }, Ct);

        (await ChatApiTests.ShouldBeProblemAsync(shipped, HttpStatusCode.Conflict)).GetProperty("detail").GetString()!.ShouldContain("已发货");
        pending.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await Json.ReadAsync(await Shop.GetAsync("api/orders/ORD12348", Ct))).GetProperty("address").GetString().ShouldBe("浙江省宁波市海曙区中山西路138号");
    }

    [Fact]
    public async Task Refund_OfADeliveredOrder_IsCreatedOnce_ThenRefusedAsAlreadyInProgress()
    {
        using var first = await Shop.PostAsJsonAsync("api/orders/ORD12346/refunds", new { reason = "不想要了", refund_type = "退货退款" }, Ct);
        using var second = await Shop.PostAsJsonAsync("api/orders/ORD12346/refunds", new { reason = "不想要了", refund_type = "退货退款" }, Ct);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await Json.ReadAsync(first)).GetProperty("status").GetString().ShouldBe("退款中");
        await ChatApiTests.ShouldBeProblemAsync(second, HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("ORD12349", "退货退款")]
    [InlineData("ORD12350", "仅退款")]
    [InlineData("ORD12348", "退货退款")]
    public async Task Refund_NotAllowedByTheShopsRules_Is409(string orderId, string refundType)
    {
        using var response = await Shop.PostAsJsonAsync($"api/orders/{orderId}/refunds", new { reason = "不想要了", refund_type = refundType }, Ct);

        await ChatApiTests.ShouldBeProblemAsync(response, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refund_UnknownType_Is400()
    {
        using var response = await Shop.PostAsJsonAsync("api/orders/ORD12346/refunds", new { reason = "x", refund_type = "全额退款" }, Ct);

        await ChatApiTests.ShouldBeProblemAsync(response, HttpStatusCode.BadRequest);
    }
}
