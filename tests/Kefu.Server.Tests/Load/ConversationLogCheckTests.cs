using System.Collections.Concurrent;
using System.Text.Json;
using Kefu.LoadTesting;
using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kefu.Server.Tests.Load;

/// <summary>
/// The load driver's log check catches what it is there for: against a deliberately faulty server that stores one
/// turn twice or drops one, it reports the duplicate or the loss, naming the session.
/// </summary>
public sealed class ConversationLogCheckTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false, 0, 0)]
    [InlineData(true, 0, 1)]
    public async Task FaultyStore_LoadRun_ReportsExactlyTheLostOrDuplicatedTurns(bool duplicate, int expectedLost, int expectedDuplicated)
    {
        await using var server = await FaultyChatServer.StartAsync(duplicateThirdTurn: duplicate, dropSecondTurn: false);

        var report = await LoadRunner.RunAsync(Options(server.Address), Ct);

        report.Served.ShouldBe(12);
        report.Log.Lost.ShouldBe(expectedLost);
        report.Log.Duplicated.ShouldBe(expectedDuplicated);
        report.Log.Consistent.ShouldBe(expectedDuplicated == 0);
    }

    [Fact]
    public async Task StoreThatDropsATurn_LoadRun_ReportsItLostNamingTheSession()
    {
        await using var server = await FaultyChatServer.StartAsync(duplicateThirdTurn: false, dropSecondTurn: true);

        var report = await LoadRunner.RunAsync(Options(server.Address), Ct);

        report.Log.Lost.ShouldBe(1);
        report.Log.Problems.ShouldContain(p => p.StartsWith("session s_second", StringComparison.Ordinal));
    }

    private static LoadOptions Options(Uri target) => new()
    {
        Target = target,
        ApiKey = "k",
        Sessions = 3,
        TurnsPerSession = 4,
        WarmUp = false,
        Questions = ["q1", "q2", "q3", "q4", "q5"],
    };

    /// <summary>
    /// A stand-in for Kefu's chat and agent endpoints that keeps conversations in memory and, on demand, stores the third
    /// turn of the first session twice or forgets the second turn of the second session.
    /// </summary>
    private sealed class FaultyChatServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FaultyChatServer(WebApplication app, Uri address)
        {
            _app = app;
            Address = address;
        }

        public Uri Address { get; }

        public static async Task<FaultyChatServer> StartAsync(bool duplicateThirdTurn, bool dropSecondTurn)
        {
            var app = LoopbackApp.CreateBuilder().Build();
            var sessions = new ConcurrentDictionary<string, List<string>>();
            var created = 0;
            var received = new ConcurrentDictionary<string, int>();
            app.MapPost("/chat", async (HttpContext http) =>
            {
                using var body = await JsonDocument.ParseAsync(http.Request.Body);
                var message = body.RootElement.GetProperty("message").GetString()!;
                var id = body.RootElement.TryGetProperty("session_id", out var given) && given.ValueKind == JsonValueKind.String
                    ? given.GetString()!
                    : "s_" + Interlocked.Increment(ref created) switch { 1 => "first", 2 => "second", var n => n.ToString(System.Globalization.CultureInfo.InvariantCulture) };
                var history = sessions.GetOrAdd(id, _ => []);
                lock (history)
                {
                    // Turns received for this session before this one (what was stored may differ: that is the fault).
                    var turn = received.AddOrUpdate(id, 0, (_, n) => n + 1);
                    if (!(dropSecondTurn && id == "s_second" && turn == 1))
                        history.Add(message);
                    if (duplicateThirdTurn && id == "s_first" && turn == 2)
                        history.Add(message);
                }
                return Results.Json(new { session_id = id, reply = "好的", handoff = false });
            });
            app.MapGet("/agent/sessions/{id}", (string id) =>
            {
                var history = sessions.GetValueOrDefault(id) ?? [];
                lock (history)
                {
                    return Results.Json(new
                    {
                        messages = history.Select(m => new { role = "user", content = m }).ToList(),
                        turns = history.Select(_ => new { intent = "knowledge" }).ToList(),
                    });
                }
            });
            return new FaultyChatServer(app, await LoopbackApp.StartAsync(app, TestContext.Current.CancellationToken));
        }

        public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
    }
}
