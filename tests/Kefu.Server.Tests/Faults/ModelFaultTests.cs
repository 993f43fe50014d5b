using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Kefu.LoadTesting;
using Kefu.Server.Resilience;
using Kefu.Server.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Server.Tests.Faults;

/// <summary>
/// The model server down, slow or talking garbage: every turn is still answered (200, the retrieval-only reply) within
/// the configured timeouts, streamed answers end properly, and unanswered turns still lead to a hand-off.
/// </summary>
public sealed class ModelFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(FakeModelFault.ServerError)]
    [InlineData(FakeModelFault.InvalidJson)]
    [InlineData(FakeModelFault.TruncatedStream)]
    [InlineData(FakeModelFault.Hang)]
    public async Task FailingModel_ChatTurn_GetsTheRetrievalAnswerWithinTheTimeout(FakeModelFault fault)
    {
        await using var model = await FakeModelServer.StartAsync(FaultServers.Quick, cancellationToken: Ct);
        model.Fault = fault;
        await using var server = await FaultServers.StartAsync(model.Address, FaultServers.QuickTimeouts());

        var (reply, elapsed) = await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);

        reply.GetProperty("reply").GetString()!.ShouldContain(FaultServers.KnowledgeAnswerFragment);
        model.Requests.ShouldBeGreaterThan(0);
        // Two attempts at most (one client retry), each within the 2 s total timeout.
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task ModelServerDown_ChatTurn_GetsTheRetrievalAnswer()
    {
        await using var server = await FaultServers.StartAsync(FaultServers.DeadAddress(), FaultServers.QuickTimeouts());

        var (reply, elapsed) = await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);

        reply.GetProperty("reply").GetString()!.ShouldContain(FaultServers.KnowledgeAnswerFragment);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task ModelServerDown_TwoUnanswerableQuestions_HandTheConversationToAHuman()
    {
        await using var server = await FaultServers.StartAsync(FaultServers.DeadAddress(), FaultServers.QuickTimeouts());

        var (first, _) = await FaultServers.ChatAsync(server.Http, "你们店的老板叫什么名字");
        var session = first.GetProperty("session_id").GetString();
        var (second, _) = await FaultServers.ChatAsync(server.Http, "火星上能收到快递吗", session);

        first.GetProperty("handoff").GetBoolean().ShouldBeFalse();
        second.GetProperty("handoff").GetBoolean().ShouldBeTrue();
        second.GetProperty("state").GetString().ShouldBe("waiting_for_human");
    }

    [Fact]
    public async Task ModelStreamCutMidAnswer_StreamedTurn_EndsWithTheInterruptionNoticeAndDone()
    {
        await using var model = await FakeModelServer.StartAsync(FaultServers.Quick, cancellationToken: Ct);
        model.Fault = FakeModelFault.TruncatedStream;
        await using var server = await FaultServers.StartAsync(model.Address, FaultServers.QuickTimeouts());

        var (status, body) = await StreamAsync(server.Http, FaultServers.KnowledgeQuestion);

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("回答中断");
        body.TrimEnd().ShouldEndWith("data: [DONE]");
    }

    [Fact]
    public async Task ModelSilentBeforeTheFirstToken_StreamedTurn_StreamsTheRetrievalAnswerAfterTheFirstTokenTimeout()
    {
        await using var model = await FakeModelServer.StartAsync(FaultServers.Quick with { TimeToFirstToken = TimeSpan.FromSeconds(30) }, cancellationToken: Ct);
        await using var server = await FaultServers.StartAsync(model.Address, FaultServers.QuickTimeouts());
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        var (status, body) = await StreamAsync(server.Http, FaultServers.KnowledgeQuestion);

        status.ShouldBe(HttpStatusCode.OK);
        body.ShouldContain("12月");
        body.TrimEnd().ShouldEndWith("data: [DONE]");
        System.Diagnostics.Stopwatch.GetElapsedTime(started).ShouldBeLessThan(TimeSpan.FromSeconds(6));
    }

    [Fact]
    public async Task RepeatedModelFailures_OpenTheCircuit_ThenATrialAfterTheBreakClosesIt()
    {
        await using var model = await FakeModelServer.StartAsync(FaultServers.Quick, cancellationToken: Ct);
        model.Fault = FakeModelFault.ServerError;
        await using var server = await FaultServers.StartAsync(model.Address, FaultServers.QuickTimeouts(failuresToOpen: 2, breakSeconds: 1));
        var circuit = server.App.Services.GetRequiredService<ModelCircuits>().Find("primary")!;

        await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);
        circuit.State.ShouldBe(CircuitState.Closed);
        await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);
        circuit.State.ShouldBe(CircuitState.Open);
        (await MetricAsync(server, "kefu_model_circuit_state")).ShouldBe(1);

        // Open: the turn is answered without the model being asked.
        var reached = model.Requests;
        var (whileOpen, elapsed) = await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);
        whileOpen.GetProperty("reply").GetString()!.ShouldContain(FaultServers.KnowledgeAnswerFragment);
        model.Requests.ShouldBe(reached);
        elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));

        // The model recovers; after the break one trial call reaches it and closes the circuit.
        model.Fault = FakeModelFault.None;
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        circuit.State.ShouldBe(CircuitState.HalfOpen);
        var (recovered, _) = await FaultServers.ChatAsync(server.Http, FaultServers.KnowledgeQuestion);

        model.Requests.ShouldBeGreaterThan(reached);
        recovered.GetProperty("reply").GetString()!.ShouldStartWith("亲，感谢您的耐心等待");
        circuit.State.ShouldBe(CircuitState.Closed);
        circuit.TimesOpened.ShouldBe(1);
        (await MetricAsync(server, "kefu_model_circuit_opened_total")).ShouldBe(1);
        (await MetricAsync(server, "kefu_model_circuit_state")).ShouldBe(0);
    }

    private static async Task<(HttpStatusCode Status, string Body)> StreamAsync(HttpClient http, string message)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"stream":true,"messages":[{"role":"user","content":"{{message}}"}]}""", Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The primary backend's sample of a metric on /metrics (Prometheus text format).</summary>
    private static async Task<double> MetricAsync(RunningServer server, string name)
    {
        using var http = server.Client(null);
        var text = await http.GetStringAsync("metrics", Ct);
        var sample = Regex.Match(text, "^" + Regex.Escape(name) + @"\{[^}]*backend=""primary""[^}]*\} (\S+)", RegexOptions.Multiline);
        sample.Success.ShouldBeTrue($"{name} for the primary backend is not on /metrics");
        return double.Parse(sample.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
