using System.Net;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Security;

/// <summary>What browsers are told: CORS only for the configured origins, and headers that stop sniffing and framing.</summary>
public sealed class BrowserSecurityTests
{
    private const string ShopOrigin = "https://shop.example.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Preflight_FromTheConfiguredOrigin_IsAllowed_FromAnotherOriginIsNot()
    {
        await using var server = await RunningServer.StartDemoAsync(o => o.CorsOrigins = [ShopOrigin + "/"]);

        using var allowed = await PreflightAsync(server, ShopOrigin);
        using var refused = await PreflightAsync(server, "https://evil.example.net");

        allowed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        allowed.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([ShopOrigin]);
        allowed.Headers.GetValues("Access-Control-Allow-Headers").Single().ShouldContain("authorization", Case.Insensitive);
        allowed.Headers.Contains("Access-Control-Allow-Credentials").ShouldBeFalse();
        refused.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task NoOriginsConfigured_CrossOriginRequest_GetsNoCorsHeaders()
    {
        await using var server = await RunningServer.StartDemoAsync();

        using var preflight = await PreflightAsync(server, ShopOrigin);
        using var request = new HttpRequestMessage(HttpMethod.Get, "v1/models");
        request.Headers.Add("Origin", ShopOrigin);
        using var response = await server.Http.SendAsync(request, Ct);

        preflight.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Theory]
    [InlineData("v1/models")]
    [InlineData("chat/sessions/unknown")]
    [InlineData("healthz")]
    public async Task ApiResponses_CarryNoSniffNoFramingAndNoActiveContentHeaders(string path)
    {
        await using var server = await RunningServer.StartDemoAsync();

        using var response = await server.Http.GetAsync(path, Ct);

        response.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
        response.Headers.GetValues("X-Frame-Options").ShouldBe(["DENY"]);
        response.Headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"]);
        response.Headers.GetValues("Content-Security-Policy").Single().ShouldBe("default-src 'none'; frame-ancestors 'none'");
        response.Headers.Contains("Server").ShouldBeFalse();
    }

    private static async Task<HttpResponseMessage> PreflightAsync(RunningServer server, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "chat");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        // A browser's preflight carries no credentials.
        using var client = server.Client(null);
        return await client.SendAsync(request, Ct);
    }
}
