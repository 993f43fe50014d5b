using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Kefu.Browser.Tests.Support;

namespace Kefu.Browser.Tests;

/// <summary>The agent queue's server-sent events, read as a plain HTTP client would (no browser).</summary>
public sealed class QueueEventsApiTests
{
    [Fact]
    public async Task QueueEvents_HandoffThenClaim_StreamsSnapshotsWithTheSessionWaitingThenClaimed()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var agent = server.Client(withKey: true);
        using var customer = server.Client();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await agent.GetAsync("agent/queue/events", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        var events = SseParser.Create(stream).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);

        var first = await NextQueueAsync(events);
        first.GetProperty("waiting").GetInt32().ShouldBe(0);

        var turn = Json.Done(await Json.CustomerChatAsync(customer, null, "转人工"));
        var sessionId = turn.GetProperty("session_id").GetString()!;
        var waiting = await NextQueueAsync(events);
        waiting.GetProperty("waiting").GetInt32().ShouldBe(1);
        var item = waiting.GetProperty("items")[0];
        item.GetProperty("session_id").GetString().ShouldBe(sessionId);
        item.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        item.GetProperty("position").GetInt32().ShouldBe(1);
        item.GetProperty("handoff_reason").GetString().ShouldBe("requested");
        item.GetProperty("preview").GetString().ShouldBe("转人工");

        using (var claim = await agent.PostAsync($"agent/sessions/{sessionId}/accept", null, timeout.Token))
            claim.StatusCode.ShouldBe(HttpStatusCode.OK);
        var claimed = await NextQueueAsync(events);
        claimed.GetProperty("waiting").GetInt32().ShouldBe(0);
        var mine = claimed.GetProperty("items")[0];
        mine.GetProperty("state").GetString().ShouldBe("human");
        mine.GetProperty("assigned_agent").GetString().ShouldBe("operator");
        await events.DisposeAsync();
    }

    [Fact]
    public async Task QueueEvents_WithoutCredentials_Returns401()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var anonymous = server.Client();
        using var response = await anonymous.GetAsync("agent/queue/events", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static async Task<JsonElement> NextQueueAsync(IAsyncEnumerator<SseItem<string>> events)
    {
        while (await events.MoveNextAsync())
        {
            if (events.Current.EventType == "queue")
                return JsonDocument.Parse(events.Current.Data).RootElement.Clone();
        }
        throw new InvalidOperationException("The queue stream ended.");
    }
}
