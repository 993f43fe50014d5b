using Kefu.Server.Hosting;
using Kefu.Server.Tests.Faults;
using Kefu.Server.Tests.Observability;
using Kefu.Server.Tests.Support;
using Kefu.Testing;
using Kefu.Testing.Server;
using Microsoft.Extensions.Logging;

namespace Kefu.Server.Tests.Security;

/// <summary>
/// Personal data leaves the conversation only masked: not in the logs when things fail (model down, order system
/// failing — the paths that log exceptions), and not in the exports for learning (agents' corrected answers, the turn
/// log an agent reads).
/// </summary>
public sealed class PersonalDataExposureTests
{
    private const string Phone = "13812345678";
    private const string IdCard = "110101199003074514";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ModelDownAndShopFailing_TurnsWithPhoneAndIdCard_NoLogLineCarriesThem()
    {
        var samples = DemoSetup.FindSamples(Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"));
        if (samples is null)
            Assert.Skip("samples/ecommerce is absent; the server tests run the demo shop.");
        await using var shop = await FlakyShop.StartAsync();
        using var temp = new TempDirectory();
        var options = InProcessKefu.Options(temp.Path, new ApiKey("agent", RunningServer.Key, Agent: true));
        options.BackendUrl = FaultServers.DeadAddress();
        options.BackendModel = "fake-qwen2";
        options.ModelResilience = FaultServers.QuickTimeouts(failuresToOpen: 2);
        options.KnowledgePaths = [Path.Combine(samples, "knowledge")];
        options.ConfigureShop = s =>
        {
            s.BaseAddress = shop.Address;
            s.AttemptTimeout = TimeSpan.FromMilliseconds(300);
            s.TotalTimeout = TimeSpan.FromSeconds(1);
        };
        var logs = new CapturingLoggerProvider();
        // Everything, framework included, at Debug: whatever a verbose production log would hold.
        await using var app = await InProcessKefu.StartAsync(options, builder => builder.Logging.ClearProviders().SetMinimumLevel(LogLevel.Debug).AddProvider(logs), Ct);
        using var http = InProcessKefu.Client(LoopbackApp.AddressOf(app), RunningServer.Key);

        var (first, _) = await FaultServers.ChatAsync(http, $"我的手机号{Phone}，身份证{IdCard}，ORD12345到哪了");
        var session = first.GetProperty("session_id").GetString();
        await FaultServers.ChatAsync(http, $"积分会过期吗？我的电话是{Phone}", session);
        await FaultServers.ChatAsync(http, $"身份证{IdCard}帮我查查", session);
        await app.StopAsync(Ct);

        var lines = logs.Lines.ToList();
        lines.ShouldContain(l => l.Contains("the model failed", StringComparison.Ordinal));
        foreach (var line in lines)
        {
            line.ShouldNotContain(Phone);
            line.ShouldNotContain(IdCard);
        }
    }

    [Fact]
    public async Task AgentCorrection_OfAConversationWithPhoneAndIdCard_IsExportedMasked()
    {
        await using var server = await RunningServer.StartDemoAsync();
        var asked = await Json.PostAsync(server.Http, "chat", new { message = $"转人工，我的手机号{Phone}，身份证{IdCard}" });
        var session = asked.GetProperty("session_id").GetString()!;
        asked.GetProperty("handoff").GetBoolean().ShouldBeTrue();

        await Json.PostAsync(server.Http, $"agent/sessions/{session}/accept", new { });
        await Json.PostAsync(server.Http, $"agent/sessions/{session}/reply", new { message = $"好的，已记下您的手机{Phone}，稍后回电" });
        var corrections = await server.Http.GetStringAsync("agent/corrections", Ct);
        using var history = await server.Http.GetAsync($"agent/sessions/{session}", Ct);
        var turns = (await Json.ReadAsync(history)).GetProperty("turns").GetRawText();

        corrections.ShouldContain("稍后回电");
        corrections.ShouldNotContain(Phone);
        corrections.ShouldNotContain(IdCard);
        turns.ShouldNotContain(Phone);
        turns.ShouldNotContain(IdCard);
    }
}
