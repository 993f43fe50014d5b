using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kefu.Storage.Postgres.Tests.Support;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>
/// The database restarts while customers are chatting through two replicas: requests in the outage fail cleanly
/// (503 problem+json with Retry-After, never a 500 or a stack trace), traffic resumes once the server is back, and
/// no turn is half-written or lost (each answered turn is in the log with both its messages).
/// </summary>
public sealed class DatabaseRestartTests : IAsyncLifetime
{
    private static readonly string[] Questions = ["怎么开发票？", "多少钱包邮？", "积分会过期吗", "退货运费谁出？", "几点前付款当天发货"];

    // Its own cluster: stopping the shared one would fail every other test running at the same time.
    private readonly PostgresCluster _cluster = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _cluster.InitializeAsync();

    [Fact]
    public async Task SessionChanges_DatabaseRestarts_ListenerComesBackSaysReReadEverythingAndHearsNewWrites()
    {
        var connectionString = await _cluster.CreateDatabaseAsync();
        using var listening = PostgresDatabase.Open(connectionString);
        using var changes = new PostgresSessionChanges(listening, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostgresSessionChanges>.Instance);
        var heard = System.Threading.Channels.Channel.CreateUnbounded<string?>();
        using var subscription = changes.Subscribe(id => heard.Writer.TryWrite(id));
        (await PostgresSessionChangesTests.NextAsync(heard)).ShouldBeNull();

        await _cluster.StopAsync("immediate");
        await _cluster.StartAsync();

        (await PostgresSessionChangesTests.NextAsync(heard, TimeSpan.FromSeconds(60))).ShouldBeNull("back after the restart: changes made meanwhile were not heard");
        using var writing = PostgresDatabase.Open(connectionString);
        var store = new PostgresSessionStore(writing, TimeProvider.System);
        var session = await store.CreateAsync(Ct);
        session.State = Kefu.Service.Dialogue.SessionState.WaitingForHuman;
        await store.SaveAsync(session, [new Kefu.Service.Dialogue.SessionMessage("user", "转人工", DateTimeOffset.UtcNow)], null, Ct);
        (await PostgresSessionChangesTests.NextAsync(heard)).ShouldBe(session.Id);
    }

    [Theory]
    [InlineData("fast")]
    [InlineData("immediate")]
    public async Task DatabaseRestartMidLoad_RequestsFailWith503ThenResume_AndNoTurnIsHalfWrittenOrLost(string shutdownMode)
    {
        var connectionString = await _cluster.CreateDatabaseAsync();
        // Each customer keeps one conversation going for the whole test: lift the per-conversation cap out of the way.
        await using var replicas = await ReplicaSet.StartAsync(connectionString, configure: options => options.MaxCustomerTurns = 100_000);
        var outcomes = new ConcurrentBag<Outcome>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var clock = Stopwatch.StartNew();
        var restartedAt = TimeSpan.MaxValue;

        var customers = Enumerable.Range(0, 8).Select(c => Task.Run(() => ChatUntilStoppedAsync(replicas, c, clock, outcomes, stop.Token), Ct)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        // fast: the server disconnects everyone and shuts down cleanly; immediate: it dies as in a crash and recovers from WAL.
        await _cluster.StopAsync(shutdownMode);
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        await _cluster.StartAsync();
        restartedAt = clock.Elapsed;
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        await stop.CancelAsync();
        await Task.WhenAll(customers);

        var all = outcomes.ToList();
        all.Where(o => o.Status != HttpStatusCode.OK).ShouldAllBe(o => o.Status == HttpStatusCode.ServiceUnavailable);
        var unavailable = all.Where(o => o.Status == HttpStatusCode.ServiceUnavailable).ToList();
        unavailable.ShouldNotBeEmpty("the outage was not felt: the test did not test anything");
        unavailable.ShouldAllBe(o => o.IsProblemJson && o.HasRetryAfter && !o.Body.Contains("   at ", StringComparison.Ordinal));
        all.Count(o => o.Status == HttpStatusCode.OK && o.At > restartedAt).ShouldBeGreaterThan(8, "traffic did not resume after the restart");

        // Every answered turn is in the log; every logged turn has exactly its two messages (customer, assistant).
        var answered = all.Where(o => o.Status == HttpStatusCode.OK).GroupBy(o => o.SessionId!).ToDictionary(g => g.Key, g => g.Count());
        var failedBySession = all.Where(o => o.Status != HttpStatusCode.OK && o.SessionId is not null)
            .GroupBy(o => o.SessionId!).ToDictionary(g => g.Key, g => g.Count());
        var stored = await StoredCountsAsync(connectionString);
        foreach (var (session, turns) in answered)
        {
            var (messages, logged) = stored[session];
            logged.ShouldBeGreaterThanOrEqualTo(turns, $"session {session}: an answered turn is missing from the log");
            // A turn may be stored but its reply lost when the connection dropped right after the commit; never more.
            (logged - turns).ShouldBeLessThanOrEqualTo(failedBySession.GetValueOrDefault(session));
            messages.ShouldBe(2 * logged, $"session {session}: a turn was half-written");
        }
        TestContext.Current.SendDiagnosticMessage(
            $"restart ({shutdownMode}) mid-load: {all.Count} requests, {answered.Values.Sum()} answered, {unavailable.Count} × 503, 0 × 500, {stored.Count} sessions consistent");
    }

    private static async Task ChatUntilStoppedAsync(ReplicaSet replicas, int customer, Stopwatch clock, ConcurrentBag<Outcome> outcomes, CancellationToken stop)
    {
        using var http = replicas.Client(ReplicaSet.CustomerKey);
        string? session = null;
        var turn = 0;
        while (!stop.IsCancellationRequested)
        {
            var question = Questions[(customer + turn) % Questions.Length];
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsJsonAsync("chat", new { session_id = session, message = question }, CancellationToken.None);
            }
            catch (HttpRequestException)
            {
                outcomes.Add(new Outcome(session, HttpStatusCode.BadGateway, false, false, "", clock.Elapsed));
                continue;
            }
            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    session ??= JsonDocument.Parse(body).RootElement.GetProperty("session_id").GetString();
                    turn++;
                }
                outcomes.Add(new Outcome(session, response.StatusCode, response.Content.Headers.ContentType?.MediaType == "application/problem+json",
                    response.Headers.RetryAfter is not null, body, clock.Elapsed));
                if (response.StatusCode != HttpStatusCode.OK)
                    await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task<Dictionary<string, (long Messages, long Turns)>> StoredCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""
            SELECT s.id, (SELECT count(*) FROM messages m WHERE m.session_id = s.id), (SELECT count(*) FROM turns t WHERE t.session_id = s.id)
            FROM sessions s
            """, connection);
        var counts = new Dictionary<string, (long, long)>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
            counts[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        return counts;
    }

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    private sealed record Outcome(string? SessionId, HttpStatusCode Status, bool IsProblemJson, bool HasRetryAfter, string Body, TimeSpan At);
}
