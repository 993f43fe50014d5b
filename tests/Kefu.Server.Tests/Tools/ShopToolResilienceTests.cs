using System.Text.Json;
using Kefu.Server.Tests.Support;
using Kefu.Service;
using Kefu.Service.Tools;
using Kefu.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Server.Tests.Tools;

/// <summary>The shop tools' HTTP pipeline (Microsoft.Extensions.Http.Resilience) against a misbehaving API.</summary>
public sealed class ShopToolResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FailingApi_SafeCallIsRetried_ThenReportedUnavailable()
    {
        await using var shop = await FlakyShop.StartAsync();
        using var temp = new TempDirectory();
        await using var services = Services(temp, shop);

        var (result, record) = await Invoke(services, "query_order", new { order_id = "ORD12345" });

        result.Outcome.ShouldBe(ToolOutcome.Unavailable);
        record.Outcome.ShouldBe("unavailable");
        shop.Requests.ShouldBe(3);
    }

    [Fact]
    public async Task FailingApi_RefundIsNeverRetried()
    {
        await using var shop = await FlakyShop.StartAsync();
        using var temp = new TempDirectory();
        await using var services = Services(temp, shop);

        var (result, _) = await Invoke(services, "request_refund", new { order_id = "ORD12345", reason = "不想要了", refund_type = "仅退款" });

        result.Outcome.ShouldBe(ToolOutcome.Unavailable);
        shop.Requests.ShouldBe(1);
    }

    [Fact]
    public async Task SlowApi_TimesOutPerAttempt_AndTheCallEndsWithinTheTotalTimeout()
    {
        await using var shop = await FlakyShop.StartAsync();
        shop.Status = 200;
        shop.Delay = TimeSpan.FromSeconds(5);
        using var temp = new TempDirectory();
        await using var services = Services(temp, shop);

        var (result, record) = await Invoke(services, "query_order", new { order_id = "ORD12345" });

        result.Outcome.ShouldBe(ToolOutcome.Unavailable);
        record.DurationMilliseconds.ShouldBeLessThan(2500);
    }

    [Fact]
    public async Task RepeatedFailures_OpenTheCircuit_SoLaterCallsFailWithoutReachingTheApi()
    {
        await using var shop = await FlakyShop.StartAsync();
        using var temp = new TempDirectory();
        await using var services = Services(temp, shop, minimumThroughput: 2);

        for (var i = 0; i < 3; i++)
            await Invoke(services, "request_refund", new { order_id = "ORD12345", reason = "x", refund_type = "仅退款" });
        var reached = shop.Requests;
        var (result, _) = await Invoke(services, "request_refund", new { order_id = "ORD12345", reason = "x", refund_type = "仅退款" });

        result.Outcome.ShouldBe(ToolOutcome.Unavailable);
        result.Message.ShouldContain("circuit open");
        shop.Requests.ShouldBe(reached);
    }

    [Fact]
    public async Task HealthyApi_ReturnsTheOrder()
    {
        await using var shop = await FlakyShop.StartAsync();
        shop.Status = 200;
        using var temp = new TempDirectory();
        await using var services = Services(temp, shop);

        var (result, _) = await Invoke(services, "query_order", new { order_id = "ORD12345" });

        result.Outcome.ShouldBe(ToolOutcome.Success);
        result.ToModelJson().ShouldContain("\"status\":\"已发货\"");
    }

    private static ServiceProvider Services(TempDirectory temp, FlakyShop shop, int minimumThroughput = 20) =>
        new ServiceCollection().AddKefuService(o => o.DataDirectory = temp.Path, s =>
        {
            s.BaseAddress = shop.Address;
            s.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            s.TotalTimeout = TimeSpan.FromSeconds(2);
            s.MaxRetries = 2;
            s.MinimumThroughput = minimumThroughput;
        }).BuildServiceProvider();

    private static Task<(ToolResult Result, ToolCallRecord Record)> Invoke(ServiceProvider services, string tool, object arguments) =>
        services.GetRequiredService<ToolRegistry>().InvokeAsync(tool, JsonSerializer.SerializeToElement(arguments), Ct);
}
