using System.Globalization;
using Kefu.LoadTesting;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Load;

/// <summary>
/// Bounded load on loopback: concurrent multi-turn conversations against the demo server, retrieval-only and with a
/// fake OpenAI-compatible model that streams with realistic latency. Timings are printed (they depend on the
/// machine); what is asserted is that every turn was served and the conversation log holds every turn exactly once.
/// </summary>
public sealed class ConcurrentSessionsLoadTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RetrievalOnly_TwentySessionsOfThreeTurns_AllServedAndLoggedExactlyOnce()
    {
        await using var server = await RunningServer.StartDemoAsync();

        var report = await LoadRunner.RunAsync(Options(server, stream: false), Ct);

        Print("retrieval-only", report);
        report.Served.ShouldBe(60, string.Join("\n", report.Turns.Where(t => !t.Served).Select(t => t.Error)));
        report.Log.Sessions.ShouldBe(20);
        report.Log.Consistent.ShouldBeTrue(string.Join("\n", report.Log.Problems));
        report.Log.MessagesStored.ShouldBe(60);
        report.Log.LogEntries.ShouldBe(60);
    }

    [Fact]
    public async Task FakeModelStreaming_TwentySessionsOfThreeTurns_AllServedLoggedOnceAndFirstTokenBeforeTheEnd()
    {
        await using var model = await FakeModelServer.StartAsync(new FakeModelOptions
        {
            TimeToFirstToken = TimeSpan.FromMilliseconds(80),
            TokenDelay = TimeSpan.FromMilliseconds(10),
            ReplyTokens = 20,
        }, cancellationToken: Ct);
        await using var server = await RunningServer.StartDemoAsync(o =>
        {
            o.BackendUrl = model.Address;
            o.BackendModel = "fake-qwen2";
        });

        var report = await LoadRunner.RunAsync(Options(server, stream: true), Ct);

        Print("fake model (TTFT 80 ms, 20 tokens x 10 ms), turns 2-3 streamed", report);
        report.Served.ShouldBe(60, string.Join("\n", report.Turns.Where(t => !t.Served).Select(t => t.Error)));
        report.Log.Consistent.ShouldBeTrue(string.Join("\n", report.Log.Problems));
        report.Log.MessagesStored.ShouldBe(60);
        model.Requests.ShouldBeGreaterThanOrEqualTo(60);
        // Streamed turns: the model's own latency is visible, and the first text arrives before the whole reply.
        report.FirstTokenLatencies.Count.ShouldBe(40);
        report.FirstTokenPercentile(50).ShouldBeGreaterThanOrEqualTo(80);
        report.FirstTokenPercentile(50).ShouldBeLessThan(report.LatencyPercentile(50));
        report.LatencyPercentile(50).ShouldBeGreaterThanOrEqualTo(80 + 19 * 10);
    }

    private static LoadOptions Options(RunningServer server, bool stream) => new()
    {
        Target = server.Address,
        ApiKey = RunningServer.CustomerKey,
        AgentApiKey = RunningServer.Key,
        Sessions = 20,
        TurnsPerSession = 3,
        Stream = stream,
        RequestTimeout = TimeSpan.FromSeconds(30),
        Deadline = TimeSpan.FromSeconds(60),
    };

    private void Print(string label, LoadReport report) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {report.Served}/{report.Options.Sessions * report.Options.TurnsPerSession} turns in {report.Elapsed.TotalSeconds:F2} s = {report.TurnsPerSecond:F1} turns/s; " +
            $"latency p50 {report.LatencyPercentile(50):F0} ms, p95 {report.LatencyPercentile(95):F0} ms, p99 {report.LatencyPercentile(99):F0} ms; " +
            $"first token p50 {report.FirstTokenPercentile(50):F0} ms; log: {report.Log.MessagesStored} stored, {report.Log.Lost} lost, {report.Log.Duplicated} duplicated"));
}
