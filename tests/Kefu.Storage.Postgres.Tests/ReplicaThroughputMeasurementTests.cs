using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Storage.Postgres.Tests.Support;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>
/// Concurrent multi-turn sessions through the round-robin proxy on replicas sharing PostgreSQL (retrieval-only,
/// demo shop), beside one replica on its own SQLite files as the baseline. Latencies are printed, not asserted (they depend on the machine); what is asserted is that every turn
/// was answered and is in the log exactly once with its two messages — none lost, none duplicated.
/// </summary>
public sealed class ReplicaThroughputMeasurementTests(SharedPostgresCluster cluster, ITestOutputHelper output)
{
    private static readonly string[] Mixed = ["退货运费谁出？", "ORD12345到哪了", "你好", "怎么开发票？", "帮我查查ORD12348现在是什么状态", "多少钱包邮"];

    [Theory]
    [InlineData("postgres", 2)]
    [InlineData("postgres", 1)]
    [InlineData("sqlite", 1)]
    public async Task FiftyConcurrentSessions_EveryTurnLoggedOnce_LatencyPrinted(string store, int replicaCount)
    {
        var connectionString = await cluster.CreateDatabaseAsync();
        await using var replicas = await ReplicaSet.StartAsync(store == "postgres" ? connectionString : null, replicaCount);
        using var http = replicas.Client(ReplicaSet.CustomerKey);
        const int sessions = 50, turnsEach = 10;
        await TurnAsync(http, null, "你好");
        await TurnAsync(http, null, "你好");
        var started = Stopwatch.GetTimestamp();

        var results = await Task.WhenAll(Enumerable.Range(0, sessions).Select(async s =>
        {
            string? session = null;
            var own = new List<(double Service, double RoundTrip)>();
            for (var t = 0; t < turnsEach; t++)
            {
                var begun = Stopwatch.GetTimestamp();
                var reply = await TurnAsync(http, session, Mixed[(s + t) % Mixed.Length]);
                own.Add((reply.GetProperty("latency_ms").GetDouble(), Stopwatch.GetElapsedTime(begun).TotalMilliseconds));
                session = reply.GetProperty("session_id").GetString();
            }
            return (Session: session!, Latencies: own);
        }));

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var all = results.SelectMany(r => r.Latencies).ToList();
        all.Count.ShouldBe(sessions * turnsEach);
        var stored = store == "postgres" ? await StoredCountsAsync(connectionString, results.Select(r => r.Session).ToArray()) : null;
        stored?.ShouldAllBe(s => s.Turns == turnsEach && s.Messages == 2 * turnsEach);
        stored?.Count.ShouldBe(sessions);
        var service = all.ConvertAll(l => l.Service);
        var roundTrip = all.ConvertAll(l => l.RoundTrip);
        var logged = stored is null ? "" : string.Create(CultureInfo.InvariantCulture, $"; {stored.Count} sessions x {turnsEach} turns in the log, 0 lost, 0 duplicated");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{replicaCount} replica(s) on {store}, {sessions} concurrent sessions x {turnsEach} turns: {all.Count / seconds:F0} requests/s on {Environment.ProcessorCount} cores; "
            + $"service p50 {Percentile(service, 50):F1} ms, p95 {Percentile(service, 95):F1} ms; round trip via proxy p50 {Percentile(roundTrip, 50):F1} ms, "
            + $"p95 {Percentile(roundTrip, 95):F1} ms, p99 {Percentile(roundTrip, 99):F1} ms{logged}"));
    }

    private static async Task<JsonElement> TurnAsync(HttpClient http, string? session, string message)
    {
        using var response = await http.PostAsJsonAsync("chat", new { session_id = session, message }, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task<List<(string Id, long Messages, long Turns)>> StoredCountsAsync(string connectionString, string[] sessions)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("""
            SELECT s.id, (SELECT count(*) FROM messages m WHERE m.session_id = s.id), (SELECT count(*) FROM turns t WHERE t.session_id = s.id)
            FROM sessions s WHERE s.id = ANY(@ids)
            """, connection);
        command.Parameters.AddWithValue("ids", sessions);
        var counts = new List<(string, long, long)>();
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            counts.Add((reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2)));
        return counts;
    }

    private static double Percentile(List<double> values, int percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(percentile / 100.0 * sorted.Count) - 1)];
    }
}
