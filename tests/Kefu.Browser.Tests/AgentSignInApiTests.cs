using System.Net;
using Kefu.Browser.Tests.Support;
using Kefu.Server.Auth;

namespace Kefu.Browser.Tests;

/// <summary>Agent accounts: PBKDF2 password hashes, the sign-in cookie, its CSRF header, and the admin-only dashboard.</summary>
public sealed class AgentSignInApiTests : IAsyncLifetime
{
    private KefuTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await KefuTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Hash_SamePasswordTwice_DiffersButBothVerify()
    {
        var first = AgentPasswords.Hash("s3cret-pass");
        var second = AgentPasswords.Hash("s3cret-pass");
        first.ShouldNotBe(second);
        first.ShouldNotContain("s3cret");
        AgentPasswords.Verify(new AgentAccount("a", "A", first), "s3cret-pass").ShouldBeTrue();
        AgentPasswords.Verify(new AgentAccount("a", "A", second), "s3cret-pass").ShouldBeTrue();
        AgentPasswords.Verify(new AgentAccount("a", "A", first), "wrong").ShouldBeFalse();
        AgentPasswords.Verify(new AgentAccount("a", "A", "not base64!"), "s3cret-pass").ShouldBeFalse();
    }

    [Theory]
    [InlineData(KefuTestServer.AgentName, "wrong-password")]
    [InlineData("nobody", KefuTestServer.AgentPassword)]
    public async Task SignIn_WrongNameOrPassword_Returns401(string name, string password)
    {
        using var http = _server.Client();
        using var response = await http.PostAsync("api/agent/sign-in", Json.Body(new { name, password }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Contains("Set-Cookie").ShouldBeFalse();
    }

    [Fact]
    public async Task SignIn_Valid_SetsHttpOnlyStrictCookieAndMeAnswers()
    {
        using var http = _server.Client();
        using var response = await http.PostAsync("api/agent/sign-in",
            Json.Body(new { name = KefuTestServer.AgentName, password = KefuTestServer.AgentPassword }), TestContext.Current.CancellationToken);
        var cookie = response.Headers.GetValues("Set-Cookie").Single();
        cookie.ShouldContain("kefu_agent=");
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        using var signedIn = await _server.SignedInClientAsync(KefuTestServer.AgentName, KefuTestServer.AgentPassword);
        var me = await Json.GetAsync(signedIn, "api/agent/me");
        me.GetProperty("display_name").GetString().ShouldBe("客服小王");
        me.GetProperty("admin").GetBoolean().ShouldBeFalse();
    }

    [Fact]
    public async Task CookieWrite_WithoutCsrfHeader_IsRejected()
    {
        using var customer = _server.Client();
        var sessionId = Json.Done(await Json.CustomerChatAsync(customer, null, "转人工")).GetProperty("session_id").GetString();
        using var agent = await _server.SignedInClientAsync(KefuTestServer.AgentName, KefuTestServer.AgentPassword, csrfHeader: false);
        using (var forged = await agent.PostAsync($"agent/sessions/{sessionId}/accept", null, TestContext.Current.CancellationToken))
            forged.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // Reads need no header; the same cookie with the header may write.
        (await Json.GetAsync(agent, "agent/queue")).GetArrayLength().ShouldBeGreaterThan(0);
        agent.DefaultRequestHeaders.Add("X-Kefu-Csrf", "1");
        var claimed = await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        claimed.GetProperty("assigned_agent").GetString().ShouldBe(KefuTestServer.AgentName);
    }

    [Fact]
    public async Task Dashboard_AgentWithoutAdmin_Gets403_AdminGetsSummary()
    {
        using var agent = await _server.SignedInClientAsync(KefuTestServer.AgentName, KefuTestServer.AgentPassword);
        using (var denied = await agent.GetAsync("api/dashboard/summary", TestContext.Current.CancellationToken))
            denied.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        using var admin = await _server.SignedInClientAsync(KefuTestServer.AdminName, KefuTestServer.AdminPassword);
        (await Json.GetAsync(admin, "api/dashboard/summary?window=24h")).GetProperty("buckets").GetArrayLength().ShouldBe(24);
        using var anonymous = _server.Client();
        using var unauthenticated = await anonymous.GetAsync("api/dashboard/summary", TestContext.Current.CancellationToken);
        unauthenticated.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AccountsFile_Valid_LoadsAccountsThatVerify()
    {
        using var temp = new Kefu.Testing.TempDirectory();
        var path = temp.File("agents.json");
        var hash = AgentPasswords.Hash("pw-li-123");
        await File.WriteAllTextAsync(path, $$"""
            // agents of the demo shop
            [{"name": "li", "password_hash": "{{hash}}"}, {"name": "boss", "display_name": "店长", "password_hash": "{{hash}}", "admin": true},]
            """, TestContext.Current.CancellationToken);
        var accounts = AgentAccountsFile.Load(path);
        accounts.Select(a => (a.Name, a.DisplayName, a.Admin)).ShouldBe([("li", "li", false), ("boss", "店长", true)]);
        AgentPasswords.Verify(accounts[0], "pw-li-123").ShouldBeTrue();
    }

    [Fact]
    public async Task AccountsFile_MissingHash_NamesFileEntryAndField()
    {
        using var temp = new Kefu.Testing.TempDirectory();
        var path = temp.File("agents.json");
        await File.WriteAllTextAsync(path, """[{"name": "wang", "password_hash": "x"}, {"name": "li"}]""", TestContext.Current.CancellationToken);
        var error = Should.Throw<InvalidDataException>(() => AgentAccountsFile.Load(path));
        error.Message.ShouldBe($"{path}: [1]: field 'password_hash' is required (a non-empty string).");
    }
}
