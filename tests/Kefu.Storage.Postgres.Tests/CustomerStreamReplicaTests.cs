using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Kefu.Storage.Postgres.Tests.Support;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>
/// The customer's live stream across two replicas on one PostgreSQL database: the customer follows the conversation
/// on one replica while the agent works on the other, and a reconnect lands on either.
/// </summary>
public sealed class CustomerStreamReplicaTests(SharedPostgresCluster cluster) : TwoReplicaTests(cluster)
{
    [Fact]
    public async Task CustomerEvents_StreamOnReplicaAAgentOnReplicaB_RepliesArriveAndAResumeOnBHasNoGapsOrRepeats()
    {
        using var customerOnA = new HttpClient { BaseAddress = Replicas.ReplicaAddresses[0] };
        using var customerOnB = new HttpClient { BaseAddress = Replicas.ReplicaAddresses[1] };
        using var agentOnB = new HttpClient { BaseAddress = Replicas.ReplicaAddresses[1] };
        agentOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicaSet.AgentKey);
        var (sessionId, seq) = await HandOffAsync(customerOnA);

        await using (var onA = await OpenAsync(customerOnA, $"api/customer/sessions/{sessionId}/events?after={seq}"))
        {
            (await NextAsync(onA, "state")).Data.GetProperty("state").GetString().ShouldBe("waiting_for_human");
            await PostAsync(agentOnB, $"agent/sessions/{sessionId}/accept");
            (await NextAsync(onA, "state")).Data.GetProperty("state").GetString().ShouldBe("human");

            var replied = Stopwatch.StartNew();
            await PostAsync(agentOnB, $"agent/sessions/{sessionId}/reply", new { message = "第一条" });
            var first = await NextAsync(onA, "message");
            var latency = replied.Elapsed;
            first.Data.GetProperty("content").GetString().ShouldBe("第一条");
            first.EventId.ShouldBe("3");
            // Replica A learns of B's write by re-reading the store (every CustomerStreamPollInterval, 1 s by default).
            latency.ShouldBeLessThan(TimeSpan.FromSeconds(5));
            TestContext.Current.TestOutputHelper?.WriteLine($"agent reply on B reached the customer's stream on A in {latency.TotalMilliseconds:0} ms");

            await PostAsync(agentOnB, $"agent/sessions/{sessionId}/reply", new { message = "第二条" });
            (await NextAsync(onA, "message")).EventId.ShouldBe("4");
        }

        // The customer is away while the agent writes twice more, then reconnects — to the other replica.
        await PostAsync(agentOnB, $"agent/sessions/{sessionId}/reply", new { message = "第三条" });
        await PostAsync(agentOnB, $"agent/sessions/{sessionId}/reply", new { message = "第四条" });
        using var resume = new HttpRequestMessage(HttpMethod.Get, $"api/customer/sessions/{sessionId}/events?after={seq}");
        resume.Headers.Add("Last-Event-ID", "4");
        await using var onB = await OpenAsync(customerOnB, resume);
        var missed = new List<(string? Id, string? Content)>();
        for (var next = await NextAsync(onB); next.Type == "message"; next = await NextAsync(onB))
            missed.Add((next.EventId, next.Data.GetProperty("content").GetString()));
        missed.ShouldBe([("5", "第三条"), ("6", "第四条")]);
    }

    [Fact]
    public async Task LiveFeeds_ReReadsSwitchedOff_HandOffAndReplyOnOtherReplicasStillArriveAtOnce()
    {
        // Re-reads every 10 minutes: within this test, only PostgreSQL's NOTIFY can carry B's writes to A.
        await using var quiet = await ReplicaSet.StartAsync(await Cluster.CreateDatabaseAsync(), configure: options =>
        {
            options.CustomerStreamPollInterval = TimeSpan.FromMinutes(10);
            options.AgentQueuePollInterval = TimeSpan.FromMinutes(10);
        });
        using var customerOnA = new HttpClient { BaseAddress = quiet.ReplicaAddresses[0] };
        using var agentOnB = new HttpClient { BaseAddress = quiet.ReplicaAddresses[1] };
        agentOnB.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ReplicaSet.AgentKey);
        await using var queueOnB = await OpenAsync(agentOnB, "agent/queue/events");
        (await NextAsync(queueOnB, "queue")).Data.GetProperty("waiting").GetInt32().ShouldBe(0);

        var handedOff = Stopwatch.StartNew();
        var (sessionId, seq) = await HandOffAsync(customerOnA);
        var queued = await NextAsync(queueOnB, "queue");
        var queueLatency = handedOff.Elapsed;
        queued.Data.GetProperty("items")[0].GetProperty("session_id").GetString().ShouldBe(sessionId);
        queueLatency.ShouldBeLessThan(TimeSpan.FromSeconds(5));

        await using var onA = await OpenAsync(customerOnA, $"api/customer/sessions/{sessionId}/events?after={seq}");
        (await NextAsync(onA, "state")).Data.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        await PostAsync(agentOnB, $"agent/sessions/{sessionId}/accept");
        (await NextAsync(onA, "state")).Data.GetProperty("state").GetString().ShouldBe("human");
        var replied = Stopwatch.StartNew();
        await PostAsync(agentOnB, $"agent/sessions/{sessionId}/reply", new { message = "马上为您处理" });
        var reply = await NextAsync(onA, "message");
        var latency = replied.Elapsed;

        reply.Data.GetProperty("content").GetString().ShouldBe("马上为您处理");
        latency.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"with re-reads off: A's hand-off reached B's agent queue in {queueLatency.TotalMilliseconds:0} ms (incl. the turn), B's reply reached A's stream in {latency.TotalMilliseconds:0} ms");
    }

    private async Task<(string SessionId, int Seq)> HandOffAsync(HttpClient customer)
    {
        using var response = await customer.PostAsJsonAsync("api/customer/chat", new { message = "转人工" }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var stream = await response.Content.ReadAsStreamAsync(Ct);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(Ct))
        {
            if (item.EventType == "done")
            {
                var done = JsonDocument.Parse(item.Data).RootElement;
                return (done.GetProperty("session_id").GetString()!, done.GetProperty("seq").GetInt32());
            }
        }
        throw new InvalidOperationException("The customer turn ended without a done event.");
    }

    private static async Task PostAsync(HttpClient http, string path, object? body = null)
    {
        using var response = await http.PostAsJsonAsync(path, body ?? new { }, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    private static Task<OpenStream> OpenAsync(HttpClient http, string path) => OpenAsync(http, new HttpRequestMessage(HttpMethod.Get, path));

    private static async Task<OpenStream> OpenAsync(HttpClient http, HttpRequestMessage request)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        return new OpenStream(response, SseParser.Create(stream).EnumerateAsync(Ct).GetAsyncEnumerator(Ct));
    }

    /// <summary>The next event other than a ping (of <paramref name="type"/> when given), within 20 s.</summary>
    private static async Task<(string Type, string? EventId, JsonElement Data)> NextAsync(OpenStream open, string? type = null)
    {
        while (true)
        {
            var next = open.Events.MoveNextAsync().AsTask();
            if (await Task.WhenAny(next, Task.Delay(TimeSpan.FromSeconds(20), Ct)) != next)
                throw new TimeoutException($"No {type ?? "customer stream"} event within 20 s.");
            if (!await next)
                throw new InvalidOperationException("The customer stream ended.");
            var item = open.Events.Current;
            if (item.EventType != "ping" && (type is null || item.EventType == type))
                return (item.EventType, item.EventId, JsonDocument.Parse(item.Data).RootElement.Clone());
        }
    }

    private sealed class OpenStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> events) : IAsyncDisposable
    {
        public IAsyncEnumerator<SseItem<string>> Events { get; } = events;

        public async ValueTask DisposeAsync()
        {
            // Dropping the response ends the stream as a closed tab does.
            response.Dispose();
            try
            {
                await Events.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The connection is gone on purpose.
            }
        }
    }
}
