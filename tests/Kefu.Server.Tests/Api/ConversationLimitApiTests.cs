using System.Net;
using System.Net.Http.Json;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Api;

/// <summary>
/// The API endpoints at a conversation's message limit (MaxCustomerTurns, 3 here): a clear 4xx naming the limit,
/// nothing of the refused message stored, never a 500.
/// </summary>
public sealed class ConversationLimitApiTests : IAsyncLifetime
{
    private const int Limit = 3;
    private RunningServer _server = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _server = await RunningServer.StartDemoAsync(options => options.MaxCustomerTurns = Limit);

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Chat_SessionAtTheLimit_Returns409NamingTheLimitAndStoresNothing()
    {
        var session = (await Json.PostAsync(_server.Http, "chat", new { message = "退货运费谁出？" })).GetProperty("session_id").GetString();
        await Json.PostAsync(_server.Http, "chat", new { session_id = session, message = "积分会过期吗？" });
        await Json.PostAsync(_server.Http, "chat", new { session_id = session, message = "几点前下单当天发货？" });
        var before = await HistoryAsync(session!);

        using var response = await _server.Http.PostAsJsonAsync("chat", new { session_id = session, message = "发票怎么开？" }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await Json.ReadAsync(response);
        problem.GetProperty("title").GetString().ShouldBe("Conversation limit reached");
        problem.GetProperty("limit").GetInt32().ShouldBe(Limit);
        problem.GetProperty("detail").GetString()!.ShouldContain("MaxCustomerTurns = 3");
        problem.GetProperty("error").GetProperty("code").GetString().ShouldBe("conversation_too_long");
        var after = await HistoryAsync(session!);
        after.Messages.ShouldBe(before.Messages);
        after.Turns.ShouldBe(before.Turns);
        after.Messages.ShouldBe(6);
    }

    [Fact]
    public async Task ChatCompletions_HistoryWithMoreCustomerMessagesThanTheLimit_Returns400WithAnOpenAiError()
    {
        using var response = await _server.Http.PostAsJsonAsync("v1/chat/completions", new
        {
            model = "kefu",
            messages = Conversation(Limit + 1),
        }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var error = (await Json.ReadAsync(response)).GetProperty("error");
        error.GetProperty("type").GetString().ShouldBe("invalid_request_error");
        error.GetProperty("code").GetString().ShouldBe("conversation_too_long");
        error.GetProperty("message").GetString()!.ShouldContain($"more than {Limit} customer messages");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ChatCompletions_ExactlyTheLimit_IsAnswered(bool stream)
    {
        using var response = await _server.Http.PostAsJsonAsync("v1/chat/completions", new { model = "kefu", stream, messages = Conversation(Limit) }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ChatCompletions_StreamingInAKeptSessionAtTheLimit_Returns409BeforeTheStreamStarts()
    {
        var session = (await Json.PostAsync(_server.Http, "chat", new { message = "你好" })).GetProperty("session_id").GetString()!;
        await Json.PostAsync(_server.Http, "chat", new { session_id = session, message = "积分会过期吗？" });
        await Json.PostAsync(_server.Http, "chat", new { session_id = session, message = "谢谢" });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "kefu", stream = true, messages = new[] { new { role = "user", content = "发票怎么开？" } } }),
        };
        request.Headers.Add("X-Kefu-Session-Id", session);

        using var response = await _server.Http.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await HistoryAsync(session)).Messages.ShouldBe(6);
    }

    private static object[] Conversation(int customerMessages) =>
    [
        .. Enumerable.Range(1, customerMessages - 1).SelectMany(i => new object[]
        {
            new { role = "user", content = "积分会过期吗？" },
            new { role = "assistant", content = "积分在次年12月31日过期。" },
        }),
        new { role = "user", content = "退货运费谁出？" },
    ];

    private async Task<(int Messages, int Turns)> HistoryAsync(string session)
    {
        using var response = await _server.Http.GetAsync($"agent/sessions/{session}", Ct);
        var view = await Json.ReadAsync(response);
        return (view.GetProperty("messages").GetArrayLength(), view.GetProperty("turns").GetArrayLength());
    }
}
