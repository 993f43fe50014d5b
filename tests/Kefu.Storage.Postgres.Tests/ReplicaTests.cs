using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kefu.Storage.Postgres.Tests.Support;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>Two Kefu servers on one PostgreSQL database behind a round-robin proxy (no sticky sessions).</summary>
public sealed class ReplicaTests(SharedPostgresCluster cluster) : TwoReplicaTests(cluster)
{
    [Fact]
    public async Task Conversation_TurnOneOnOneReplicaTurnTwoOnTheOther_SecondTurnUsesTheFirstTurnsOrderNumber()
    {
        using var customer = Replicas.Client(ReplicaSet.CustomerKey);

        var (first, firstReplica) = await Http.PostAsync(customer, "chat", new { message = "我的订单是ORD12345，发货了吗" });
        var session = first.GetProperty("session_id").GetString()!;
        var (second, secondReplica) = await Http.PostAsync(customer, "chat", new { session_id = session, message = "物流到哪了" });

        secondReplica.ShouldNotBe(firstReplica);
        var tool = second.GetProperty("tool_calls").EnumerateArray().ShouldHaveSingleItem();
        tool.GetProperty("name").GetString().ShouldBe("track_logistics");
        tool.GetProperty("arguments").GetString()!.ShouldContain("ORD12345");
        var view = await Http.GetAsync(customer, $"chat/sessions/{session}");
        view.GetProperty("messages").GetArrayLength().ShouldBe(4);
    }

    [Fact]
    public async Task AgentQueue_HandOffThroughTheProxy_IsInTheQueueOfEveryReplica()
    {
        using var customer = Replicas.Client(ReplicaSet.CustomerKey);

        var (handoff, _) = await Http.PostAsync(customer, "chat", new { message = "帮我转人工" });

        var session = handoff.GetProperty("session_id").GetString();
        handoff.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        foreach (var replica in Replicas.ReplicaAddresses)
        {
            using var agent = Direct(replica, ReplicaSet.AgentKey);
            var queue = await Http.GetAsync(agent, "agent/queue");
            queue.EnumerateArray().Select(s => s.GetProperty("session_id").GetString()).ShouldContain(session);
        }
    }

    [Fact]
    public async Task Claim_TwoAgentsRaceThroughDifferentReplicas_ExactlyOneWinsEachSession()
    {
        using var customer = Replicas.Client(ReplicaSet.CustomerKey);
        var sessions = new List<string>();
        for (var i = 0; i < 10; i++)
            sessions.Add((await Http.PostAsync(customer, "chat", new { message = "转人工" })).Body.GetProperty("session_id").GetString()!);
        using var agentOnA = Direct(Replicas.ReplicaAddresses[0], ReplicaSet.AgentKey);
        using var agentOnB = Direct(Replicas.ReplicaAddresses[1], ReplicaSet.SecondAgentKey);

        foreach (var session in sessions)
        {
            var claims = await Task.WhenAll(
                Task.Run(() => agentOnA.PostAsJsonAsync($"agent/sessions/{session}/accept", new { }, Ct), Ct),
                Task.Run(() => agentOnB.PostAsJsonAsync($"agent/sessions/{session}/accept", new { }, Ct), Ct));

            claims.Select(r => r.StatusCode).Order().ToArray().ShouldBe([HttpStatusCode.OK, HttpStatusCode.Conflict], $"session {session}");
            var winner = claims[0].StatusCode == HttpStatusCode.OK ? "agent1" : "agent2";
            var view = await Http.GetAsync(agentOnB, $"agent/sessions/{session}");
            view.GetProperty("assigned_agent").GetString().ShouldBe(winner);
            foreach (var claim in claims)
                claim.Dispose();
        }
    }

    [Fact]
    public async Task AgentSignIn_CookieFromOneReplica_IsAcceptedByTheOther()
    {
        using var noCookies = new HttpClientHandler { UseCookies = false };
        using var replicaA = new HttpClient(noCookies, disposeHandler: false) { BaseAddress = Replicas.ReplicaAddresses[0] };
        using var replicaB = new HttpClient(noCookies, disposeHandler: false) { BaseAddress = Replicas.ReplicaAddresses[1] };

        using var signIn = await replicaA.PostAsJsonAsync("api/agent/sign-in", new { name = ReplicaSet.AgentName, password = ReplicaSet.AgentPassword }, Ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync(Ct));
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("kefu_agent=", StringComparison.Ordinal)).Split(';')[0];
        using var me = new HttpRequestMessage(HttpMethod.Get, "api/agent/me");
        me.Headers.Add("Cookie", cookie);
        using var onB = await replicaB.SendAsync(me, Ct);

        onB.StatusCode.ShouldBe(HttpStatusCode.OK, "a cookie signed with the shared key ring must be valid on every replica");
        (await onB.Content.ReadAsStringAsync(Ct)).ShouldContain(ReplicaSet.AgentName);
    }

    [Theory]
    [InlineData("""{"message":"我的订单\u0000ORD12345"}""")]
    [InlineData("""{"message":"发票\ud800怎么开"}""")]
    [InlineData("""{"session_id":"s_\u0000","message":"你好"}""")]
    public async Task Chat_TextPostgresCannotStore_IsAnsweredWithoutServerError(string json)
    {
        using var customer = Replicas.Client(ReplicaSet.CustomerKey);

        using var response = await customer.PostAsync("chat", new StringContent(json, System.Text.Encoding.UTF8, "application/json"), Ct);

        ((int)response.StatusCode).ShouldBeLessThan(500, await response.Content.ReadAsStringAsync(Ct));
    }

    private static HttpClient Direct(Uri replica, string apiKey)
    {
        var http = new HttpClient { BaseAddress = replica };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return http;
    }
}
