using System.Net;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

public sealed class HealthAndMetricsTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    private RunningServer Server => fixture.Server;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Healthz_AndReadyz_AnswerWithoutAKey()
    {
        using var anonymous = Server.Client(null);

        (await anonymous.GetStringAsync("healthz", Ct)).ShouldBe("Healthy");
        (await anonymous.GetStringAsync("readyz", Ct)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task Metrics_InPrometheusTextFormat_CountTurnsAndToolCalls()
    {
        await Json.PostAsync(Server.Http, "chat", new { message = "ORD12345到哪了" });
        using var anonymous = Server.Client(null);

        using var response = await anonymous.GetAsync("metrics", Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        text.ShouldContain("# TYPE kefu_turns");
        text.ShouldContain("kefu_tool_calls");
        text.ShouldContain("kefu_turn_duration");
        text.ShouldContain("kefu_tool_success_ratio");
    }
}
