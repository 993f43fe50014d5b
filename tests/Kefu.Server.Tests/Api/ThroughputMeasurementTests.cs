using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

/// <summary>
/// Measurements of the service's own cost per turn in retrieval-only mode, printed to the test output (numbers, not
/// timed assertions: they depend on the machine). What is asserted is that every turn of the load was served.
/// </summary>
public sealed class ThroughputMeasurementTests(ITestOutputHelper output)
{
    private static readonly string[] Knowledge = ["退货运费谁出？", "怎么开发票？", "积分会过期吗", "能用花呗吗", "多少钱包邮", "金卡会员有什么好处"];
    private static readonly string[] Mixed = ["退货运费谁出？", "ORD12345到哪了", "你好", "今天天气怎么样", "怎么开发票？", "帮我查查ORD12348现在是什么状态"];

    [Fact]
    public async Task SequentialTurns_ServiceOverhead_P50P95()
    {
        await using var server = await RunningServer.StartDemoAsync();
        await MeasureAsync(server, "knowledge-only", Knowledge, 200);
        await MeasureAsync(server, "mixed (1/3 call the shop API over HTTP)", Mixed, 200);
    }

    [Fact]
    public async Task FiftyConcurrentSessions_RequestsPerSecond()
    {
        await using var server = await RunningServer.StartDemoAsync();
        const int sessions = 50, turnsEach = 10;
        await Turn(server.Http, null, "你好");
        var started = Stopwatch.GetTimestamp();

        var latencies = await Task.WhenAll(Enumerable.Range(0, sessions).Select(async s =>
        {
            string? session = null;
            var own = new List<double>();
            for (var t = 0; t < turnsEach; t++)
            {
                var reply = await Turn(server.Http, session, Mixed[(s + t) % Mixed.Length]);
                session = reply.GetProperty("session_id").GetString();
                own.Add(reply.GetProperty("latency_ms").GetDouble());
            }
            return own;
        }));

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = latencies.SelectMany(l => l).ToList();
        all.Count.ShouldBe(sessions * turnsEach);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{sessions} concurrent sessions x {turnsEach} turns: {all.Count / seconds:F0} requests/s on {Environment.ProcessorCount} cores; service time p50 {Percentile(all, 50):F1} ms, p95 {Percentile(all, 95):F1} ms"));
    }

    private async Task MeasureAsync(RunningServer server, string label, string[] questions, int turns)
    {
        var own = new List<double>();
        var roundTrip = new List<double>();
        string? session = null;
        for (var i = 0; i < turns + 20; i++)
        {
            // A fresh session every 10 turns, so no conversation drifts into hand-off.
            if (i % 10 == 0)
                session = null;
            var started = Stopwatch.GetTimestamp();
            var reply = await Turn(server.Http, session, questions[i % questions.Length]);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            session = reply.GetProperty("session_id").GetString();
            if (i < 20)
                continue;   // warm-up: JIT, SQLite page cache, connection pool
            own.Add(reply.GetProperty("latency_ms").GetDouble());
            roundTrip.Add(elapsed);
        }
        own.Count.ShouldBe(turns);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}, {turns} turns: service p50 {Percentile(own, 50):F2} ms, p95 {Percentile(own, 95):F2} ms; HTTP round trip p50 {Percentile(roundTrip, 50):F2} ms, p95 {Percentile(roundTrip, 95):F2} ms"));
    }

    private static async Task<JsonElement> Turn(HttpClient http, string? session, string message)
    {
        using var response = await http.PostAsJsonAsync("chat", new { session_id = session, message }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var reply = await Json.ReadAsync(response);
        reply.GetProperty("reply").GetString().ShouldNotBeNullOrEmpty();
        return reply;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
