using System.Net;
using Kefu.Browser.Tests.Support;
using Kefu.Server.Api.Ui;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Browser.Tests;

/// <summary>
/// The customer's live stream (<c>GET /api/customer/sessions/{id}/events</c>), read as a plain HTTP client would: what
/// an agent does arrives without polling, a reconnect resumes after the last message it had, and streams are bounded.
/// </summary>
public sealed class CustomerEventsApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Events_AgentClaimsRepliesAndResolves_StreamsEachStateAndTheReplyNumberedAsItsEventId()
    {
        // Re-reading the store is slowed to a crawl: on one replica, every change must arrive by the agent actions' nudge.
        await using var server = await KefuTestServer.StartAsync(o => o.CustomerStreamPollInterval = TimeSpan.FromMinutes(10));
        using var customer = server.Client();
        using var agent = await server.SignedInClientAsync(KefuTestServer.AgentName, KefuTestServer.AgentPassword);
        var done = Json.Done(await Json.CustomerChatAsync(customer, null, "转人工"));
        var sessionId = done.GetProperty("session_id").GetString()!;
        var seq = done.GetProperty("seq").GetInt32();
        seq.ShouldBe(2, "the customer's message and the hand-off notice");

        await using var events = await CustomerEvents.OpenAsync(customer, sessionId, after: seq);
        var waiting = await events.NextAsync("state");
        waiting.Data.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        waiting.Data.GetProperty("queue_position").GetInt32().ShouldBe(1);

        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        var claimed = await events.NextAsync("state");
        claimed.Data.GetProperty("state").GetString().ShouldBe("human");
        claimed.Data.GetProperty("agent_name").GetString().ShouldBe("客服小王", "the name customers are shown, not the account name");

        var replied = System.Diagnostics.Stopwatch.StartNew();
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = "您好，我是客服小王" });
        var reply = await events.NextAsync("message");
        TestContext.Current.TestOutputHelper?.WriteLine($"agent reply reached the customer's stream in {replied.Elapsed.TotalMilliseconds:0} ms (reply request included)");
        reply.EventId.ShouldBe("3");
        reply.Data.GetProperty("seq").GetInt32().ShouldBe(3);
        reply.Data.GetProperty("role").GetString().ShouldBe("agent");
        reply.Data.GetProperty("content").GetString().ShouldBe("您好，我是客服小王");

        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/resolve", new { });
        (await events.NextAsync("state")).Data.GetProperty("state").GetString().ShouldBe("resolved");
        (await events.EndsAsync()).ShouldBeTrue("a closed conversation ends its stream");
    }

    [Fact]
    public async Task Events_ReconnectWithLastEventId_ResumesAfterThatMessageWithoutGapsOrRepeats()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var customer = server.Client();
        using var agent = server.Client(withKey: true);
        var sessionId = await HandOffAsync(customer);
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        foreach (var text in new[] { "第一条", "第二条", "第三条" })
            await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = text });
        // The customer writes in between: numbers count every stored message, not only the agent's.
        await Json.CustomerChatAsync(customer, sessionId, "好的");
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = "第四条" });

        var all = await ReadMessagesAsync(customer, sessionId, lastEventId: null, expected: 4);
        all.Select(m => m.Content).ShouldBe(["第一条", "第二条", "第三条", "第四条"]);
        all.Select(m => m.Id).ShouldBe(["3", "4", "5", "7"]);

        var resumed = await ReadMessagesAsync(customer, sessionId, lastEventId: "4", expected: 2);
        resumed.Select(m => m.Content).ShouldBe(["第三条", "第四条"]);
        resumed.Select(m => m.Id).ShouldBe(["5", "7"]);
    }

    [Fact]
    public async Task Events_CustomerWasAwayLongerThanTheLoadedTail_GetsEveryMissedReplyFromTheHistory()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var customer = server.Client();
        using var agent = server.Client(withKey: true);
        var sessionId = await HandOffAsync(customer);
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        // The store loads the last 60 messages with a session: 70 replies put the first ones out of the tail.
        for (var i = 1; i <= 70; i++)
            await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = $"回复{i}" });

        var replies = await ReadMessagesAsync(customer, sessionId, lastEventId: "2", expected: 70);

        replies.Select(m => m.Content).ShouldBe(Enumerable.Range(1, 70).Select(i => $"回复{i}"));
        replies.Select(m => int.Parse(m.Id!, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(Enumerable.Range(3, 70));
    }

    [Fact]
    public async Task Events_QuietConversation_SendsPings()
    {
        await using var server = await KefuTestServer.StartAsync(o => o.CustomerStreamHeartbeat = TimeSpan.FromMilliseconds(200));
        using var customer = server.Client();
        var sessionId = await HandOffAsync(customer);

        await using var events = await CustomerEvents.OpenAsync(customer, sessionId, after: 2);
        await events.NextAsync("state");
        (await events.NextAsync("ping")).Data.TryGetProperty("at", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Events_UnknownSession_Returns404()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var customer = server.Client();
        using var response = await customer.GetAsync("api/customer/sessions/s_nope/events", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Events_MoreStreamsThanAnAddressMayHold_Returns429AndClosedStreamsLeaveNothingBehind()
    {
        await using var server = await KefuTestServer.StartAsync(o => o.CustomerStreamsPerAddress = 2);
        using var customer = server.Client();
        var watcher = server.App.Services.GetRequiredService<CustomerSessionWatcher>();
        var first = await HandOffAsync(customer);
        var second = await HandOffAsync(customer);

        await using (var one = await CustomerEvents.OpenAsync(customer, first, after: 2))
        await using (var two = await CustomerEvents.OpenAsync(customer, second, after: 2))
        {
            await one.NextAsync("state");
            await two.NextAsync("state");
            using var third = await customer.GetAsync($"api/customer/sessions/{first}/events", HttpCompletionOption.ResponseHeadersRead, Ct);
            third.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
            (await third.Content.ReadAsStringAsync(Ct)).ShouldContain("2 live customer streams");
            watcher.Streams.ShouldBe(2);
            watcher.FollowedSessions.ShouldBe(2);
        }

        await WaitUntilAsync(() => watcher.Streams == 0 && watcher.FollowedSessions == 0);
        await using var again = await CustomerEvents.OpenAsync(customer, first, after: 2);
        (await again.NextAsync("state")).Data.GetProperty("state").GetString().ShouldBe("waiting_for_human");
    }

    [Fact]
    public async Task Events_ConversationBackWithTheBot_SendsTheStateAndEnds()
    {
        await using var server = await KefuTestServer.StartAsync();
        using var customer = server.Client();
        var sessionId = Json.Done(await Json.CustomerChatAsync(customer, null, "你好")).GetProperty("session_id").GetString()!;

        await using var events = await CustomerEvents.OpenAsync(customer, sessionId, after: 0);
        (await events.NextAsync("state")).Data.GetProperty("state").GetString().ShouldBe("bot");
        (await events.EndsAsync()).ShouldBeTrue("no person is involved: nothing to push until the customer writes again");
    }

    private static async Task<string> HandOffAsync(HttpClient customer) =>
        Json.Done(await Json.CustomerChatAsync(customer, null, "转人工")).GetProperty("session_id").GetString()!;

    private static async Task<List<(string? Id, string Content)>> ReadMessagesAsync(HttpClient customer, string sessionId, string? lastEventId, int expected)
    {
        await using var events = await CustomerEvents.OpenAsync(customer, sessionId, after: null, lastEventId);
        var messages = new List<(string?, string)>();
        while (messages.Count < expected)
        {
            var item = await events.NextAsync("message");
            messages.Add((item.EventId, item.Data.GetProperty("content").GetString()!));
        }
        // Nothing more: the state follows, and no repeated message before it.
        (await events.NextAsync()).Type.ShouldBe("state");
        return messages;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
            await Task.Delay(50, Ct);
        condition().ShouldBeTrue();
    }
}
