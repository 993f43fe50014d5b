using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Kefu.LoadTesting;
using Kefu.Server.Resilience;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Faults;

/// <summary>Shared set-up of the fault tests: the demo server in front of a fake model, with short timeouts.</summary>
internal static class FaultServers
{
    public const string KnowledgeQuestion = "积分会过期吗";

    // The retrieval-only answer to KnowledgeQuestion comes from the demo's membership page.
    public const string KnowledgeAnswerFragment = "12月31日";

    public static ModelResilienceOptions QuickTimeouts(int failuresToOpen = 100, double breakSeconds = 30) => new()
    {
        FirstTokenTimeout = TimeSpan.FromSeconds(1),
        IdleTimeout = TimeSpan.FromSeconds(1),
        TotalTimeout = TimeSpan.FromSeconds(2),
        FailuresToOpen = failuresToOpen,
        BreakDuration = TimeSpan.FromSeconds(breakSeconds),
    };

    public static Task<RunningServer> StartAsync(Uri model, ModelResilienceOptions resilience) =>
        RunningServer.StartDemoAsync(o =>
        {
            o.BackendUrl = model;
            o.BackendModel = "fake-qwen2";
            o.ModelResilience = resilience;
        });

    /// <summary>A loopback address where nothing listens: the port was free a moment ago and is closed again.</summary>
    public static Uri DeadAddress()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return new Uri($"http://127.0.0.1:{port}/v1");
    }

    /// <summary>POST /chat; the status must be 200, whatever failed behind it.</summary>
    public static async Task<(JsonElement Reply, TimeSpan Elapsed)> ChatAsync(HttpClient http, string message, string? session = null)
    {
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsJsonAsync("chat", new { session_id = session, message }, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        return (JsonDocument.Parse(body).RootElement.Clone(), Stopwatch.GetElapsedTime(started));
    }

    public static FakeModelOptions Quick { get; } = new() { TimeToFirstToken = TimeSpan.FromMilliseconds(20), TokenDelay = TimeSpan.FromMilliseconds(2), ReplyTokens = 12 };
}
