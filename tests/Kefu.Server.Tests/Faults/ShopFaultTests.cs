using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Faults;

/// <summary>
/// The shop's order API failing (errors, or slower than the tool's timeouts) behind a customer's order questions: an
/// apology at once, a human on the second failure in a row (the service's unanswered-turns rule), never a 500, and
/// each turn within the tool's timeout budget.
/// </summary>
public sealed class ShopFaultTests
{
    [Theory]
    [InlineData(500, 0)]
    [InlineData(503, 0)]
    [InlineData(200, 5000)]
    public async Task FailingOrSlowShopApi_OrderQuestions_ApologyThenHandoff(int status, int delayMilliseconds)
    {
        await using var shop = await FlakyShop.StartAsync();
        shop.Status = status;
        shop.Delay = TimeSpan.FromMilliseconds(delayMilliseconds);
        await using var server = await RunningServer.StartDemoAsync(o => o.ConfigureShop = s =>
        {
            s.BaseAddress = shop.Address;
            s.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            s.TotalTimeout = TimeSpan.FromSeconds(1.5);
        });

        var (first, elapsed) = await FaultServers.ChatAsync(server.Http, "帮我查查ORD12345现在是什么状态");
        var (second, _) = await FaultServers.ChatAsync(server.Http, "那ORD12345的物流到哪了", first.GetProperty("session_id").GetString());

        shop.Requests.ShouldBeGreaterThan(0);
        first.GetProperty("reply").GetString()!.ShouldContain("订单系统暂时无法访问");
        first.GetProperty("tool_calls")[0].GetProperty("outcome").GetString().ShouldBe("unavailable");
        first.GetProperty("handoff").GetBoolean().ShouldBeFalse();
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        second.GetProperty("reply").GetString()!.ShouldContain("转接人工客服");
        second.GetProperty("handoff").GetBoolean().ShouldBeTrue();
        second.GetProperty("state").GetString().ShouldBe("waiting_for_human");
    }
}
