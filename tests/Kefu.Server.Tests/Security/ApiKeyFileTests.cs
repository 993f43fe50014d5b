using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Security;
using Kefu.Server.Tests.Support;
using Kefu.Testing;

namespace Kefu.Server.Tests.Security;

/// <summary>API keys at rest: the keys file holds digests only, revoked keys stop working, bad files are named clearly.</summary>
public sealed class ApiKeyFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Add_StoresOnlyTheDigest_AndTheKeyVerifiesAgainstIt()
    {
        using var temp = new TempDirectory();
        var path = temp.File("keys.json");

        var key = ApiKeyFile.Add(path, "shop-widget", ApiKeyEntry.CustomerRole, TimeProvider.System);

        key.ShouldStartWith("kf_");
        key.Length.ShouldBeGreaterThanOrEqualTo(40);
        var text = File.ReadAllText(path);
        text.ShouldNotContain(key);
        text.ShouldNotContain(key["kf_".Length..]);
        var entry = ApiKeyFile.Read(path).ShouldHaveSingleItem();
        entry.Hash.ShouldBe(ApiKeyHash.Format(key));
        ApiKeyHash.Matches(key, ApiKeyHash.Parse(entry.Hash)).ShouldBeTrue();
        ApiKeyHash.Matches(key + "x", ApiKeyHash.Parse(entry.Hash)).ShouldBeFalse();
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact]
    public void Revoke_KeepsTheEntry_ButItIsNoLongerActive()
    {
        using var temp = new TempDirectory();
        var path = temp.File("keys.json");
        ApiKeyFile.Add(path, "a", ApiKeyEntry.AgentRole, TimeProvider.System);
        ApiKeyFile.Add(path, "b", ApiKeyEntry.CustomerRole, TimeProvider.System);

        ApiKeyFile.Revoke(path, "a", TimeProvider.System).ShouldBeTrue();
        ApiKeyFile.Revoke(path, "a", TimeProvider.System).ShouldBeFalse();

        ApiKeyFile.Read(path).Count.ShouldBe(2);
        var active = ApiKeyFile.LoadActive(path).ShouldHaveSingleItem();
        active.Name.ShouldBe("b");
        active.Agent.ShouldBeFalse();
        active.Key.ShouldBeEmpty();
    }

    [Fact]
    public void Read_BadRole_FailsNamingTheFileTheEntryAndTheField()
    {
        using var temp = new TempDirectory();
        var path = temp.File("keys.json");
        File.WriteAllText(path, """{"keys":[{"name":"x","role":"root","hash":"sha256:00","created_at":"2026-01-01T00:00:00Z"}]}""");

        var error = Should.Throw<InvalidDataException>(() => ApiKeyFile.Read(path));

        error.Message.ShouldContain(path);
        error.Message.ShouldContain("keys[0] (x)");
        error.Message.ShouldContain("\"role\"");
    }

    [Fact]
    public void ApiKey_ToString_NeverPrintsTheSecret()
    {
        var key = new Kefu.Server.Hosting.ApiKey("ops", "super-secret-key", Agent: true);

        key.ToString().ShouldNotContain("super-secret-key");
        key.ToString().ShouldContain("ops");
    }

    [Fact]
    public async Task ServerWithAKeysFile_AcceptsItsActiveKeysByRole_AndRejectsRevokedOnes()
    {
        using var temp = new TempDirectory();
        var path = temp.File("keys.json");
        var agentKey = ApiKeyFile.Add(path, "desk", ApiKeyEntry.AgentRole, TimeProvider.System);
        var customerKey = ApiKeyFile.Add(path, "widget", ApiKeyEntry.CustomerRole, TimeProvider.System);
        var revokedKey = ApiKeyFile.Add(path, "old", ApiKeyEntry.AgentRole, TimeProvider.System);
        ApiKeyFile.Revoke(path, "old", TimeProvider.System);
        await using var server = await RunningServer.StartDemoAsync(o => o.ApiKeysFile = path);

        using var customer = server.Client(customerKey);
        using var agent = server.Client(agentKey);
        using var revoked = server.Client(revokedKey);
        using var chat = await customer.PostAsJsonAsync("chat", new { message = "你好" }, Ct);
        using var customerQueue = await customer.GetAsync("agent/queue", Ct);
        using var agentQueue = await agent.GetAsync("agent/queue", Ct);
        using var revokedChat = await revoked.PostAsJsonAsync("chat", new { message = "你好" }, Ct);

        chat.StatusCode.ShouldBe(HttpStatusCode.OK);
        customerQueue.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        agentQueue.StatusCode.ShouldBe(HttpStatusCode.OK);
        revokedChat.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RunningServer_KeyRevokedAndAnotherAddedInTheFile_TakeEffectWithoutARestart()
    {
        using var temp = new TempDirectory();
        var path = temp.File("keys.json");
        var widgetKey = ApiKeyFile.Add(path, "widget", ApiKeyEntry.CustomerRole, TimeProvider.System);
        await using var server = await RunningServer.StartDemoAsync(o => o.ApiKeysFile = path);
        using var widget = server.Client(widgetKey);
        (await widget.GetAsync("v1/models", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        ApiKeyFile.Revoke(path, "widget", TimeProvider.System);
        var newKey = ApiKeyFile.Add(path, "widget-2", ApiKeyEntry.CustomerRole, TimeProvider.System);
        using var fresh = server.Client(newKey);

        (await StatusWithinAsync(widget, HttpStatusCode.Unauthorized)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusWithinAsync(fresh, HttpStatusCode.OK)).ShouldBe(HttpStatusCode.OK);
        // The keys given directly to the server are unaffected by the file.
        (await server.Http.GetAsync("v1/models", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    /// <summary>Asks until the answer is <paramref name="expected"/> or 3 s have passed (the file is looked at once a second).</summary>
    private static async Task<HttpStatusCode> StatusWithinAsync(HttpClient http, HttpStatusCode expected)
    {
        var status = HttpStatusCode.OK;
        for (var i = 0; i < 30; i++)
        {
            using var response = await http.GetAsync("v1/models", Ct);
            status = response.StatusCode;
            if (status == expected)
                break;
            await Task.Delay(100, Ct);
        }
        return status;
    }
}
