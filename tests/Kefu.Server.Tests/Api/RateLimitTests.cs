using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

public sealed class RateLimitTests
{
    [Fact]
    public async Task KeyOverItsLimit_Gets429ProblemDetailsWithRetryAfter_WhileAnotherKeyIsStillServed()
    {
        await using var server = await RunningServer.StartDemoAsync(o => o.RequestsPerMinutePerKey = 2);
        var ct = TestContext.Current.CancellationToken;

        for (var i = 0; i < 2; i++)
            (await server.Http.PostAsJsonAsync("chat", new { message = "你好" }, ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        using var limited = await server.Http.PostAsJsonAsync("chat", new { message = "你好" }, ct);
        using var other = server.Client(RunningServer.CustomerKey);
        using var otherResponse = await other.PostAsJsonAsync("chat", new { message = "你好" }, ct);

        await ChatApiTests.ShouldBeProblemAsync(limited, HttpStatusCode.TooManyRequests);
        limited.Headers.RetryAfter.ShouldNotBeNull();
        otherResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
