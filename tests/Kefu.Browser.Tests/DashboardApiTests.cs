using System.Net;
using System.Text;
using Kefu.Browser.Tests.Support;

namespace Kefu.Browser.Tests;

/// <summary>What the dashboard reads and changes: figures from the conversation log, knowledge upload and search, word lists.</summary>
public sealed class DashboardApiTests : IAsyncLifetime
{
    private KefuTestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await KefuTestServer.StartAsync();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Summary_AfterAnswerHandoffAndRating_CountsThem()
    {
        using var customer = _server.Client();
        var answered = Json.Done(await Json.CustomerChatAsync(customer, null, "退货运费谁出？")).GetProperty("session_id").GetString();
        var missed = Json.Done(await Json.CustomerChatAsync(customer, null, "你们卖不卖火箭发动机的零件")).GetProperty("session_id").GetString();
        await Json.CustomerChatAsync(customer, missed, "转人工");
        await Json.PostAsync(customer, $"api/customer/sessions/{answered}/rating", new { score = 4 });
        await Json.PostAsync(customer, $"api/customer/sessions/{missed}/rating", new { score = 2 });

        using var operatorKey = _server.Client(withKey: true);
        var summary = await Json.GetAsync(operatorKey, "api/dashboard/summary?window=1h");
        summary.GetProperty("turns").GetInt32().ShouldBe(3);
        summary.GetProperty("conversations").GetInt32().ShouldBe(2);
        summary.GetProperty("handoffs").GetInt32().ShouldBe(1);
        summary.GetProperty("handoff_rate").GetDouble().ShouldBe(0.5);
        summary.GetProperty("resolution_rate").GetDouble().ShouldBeLessThan(1);
        summary.GetProperty("satisfaction").GetDouble().ShouldBe(3);
        summary.GetProperty("rating_counts")[1].GetInt32().ShouldBe(1);
        summary.GetProperty("latency_p95_ms").GetDouble().ShouldBeGreaterThanOrEqualTo(summary.GetProperty("latency_p50_ms").GetDouble());
        summary.GetProperty("buckets").GetArrayLength().ShouldBe(12);

        var unanswered = await Json.GetAsync(operatorKey, "api/dashboard/unanswered?window=1h");
        unanswered[0].GetProperty("question").GetString().ShouldBe("你们卖不卖火箭发动机的零件");
        unanswered.EnumerateArray().ShouldNotContain(q => q.GetProperty("question").GetString() == "转人工");
    }

    [Fact]
    public async Task Summary_UnknownWindow_Returns400()
    {
        using var operatorKey = _server.Client(withKey: true);
        using var response = await operatorKey.GetAsync("api/dashboard/summary?window=2d", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task KnowledgeUpload_Markdown_IsImportedAndFoundBySearch()
    {
        using var admin = await _server.SignedInClientAsync(KefuTestServer.AdminName, KefuTestServer.AdminPassword);
        var before = await Json.GetAsync(admin, "api/dashboard/knowledge");
        const string markdown = "# 以旧换新\n\n## 旧电饭煲回收\n\n购买新电饭煲时可以预约上门回收旧电饭煲，回收旧机抵扣20元。\n";
        using var content = new StringContent(markdown, Encoding.UTF8, "text/markdown");
        using var upload = await admin.PostAsync("api/dashboard/knowledge/files?name=trade-in.md", content, TestContext.Current.CancellationToken);
        var report = await Json.ReadAsync(upload);
        report.GetProperty("imported")[0].GetProperty("chunks").GetInt32().ShouldBeGreaterThan(0);
        File.Exists(Path.Combine(_server.DataDirectory, "uploads", "trade-in.md")).ShouldBeTrue();
        var after = await Json.GetAsync(admin, "api/dashboard/knowledge");
        after.GetProperty("sources").GetInt32().ShouldBe(before.GetProperty("sources").GetInt32() + 1);
        var hits = await Json.GetAsync(admin, "api/dashboard/knowledge/search?q=" + Uri.EscapeDataString("旧电饭煲可以回收吗"));
        hits[0].GetProperty("source").GetString().ShouldBe("trade-in.md");
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("../escape.md")]
    public async Task KnowledgeUpload_BadName_Returns400(string name)
    {
        using var operatorKey = _server.Client(withKey: true);
        using var content = new StringContent("# x\n\ny\n", Encoding.UTF8, "text/markdown");
        using var response = await operatorKey.PostAsync("api/dashboard/knowledge/files?name=" + Uri.EscapeDataString(name), content, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AddWord_ToCategory_IsListedAndFiltersCustomerMessagesAtOnce()
    {
        using var customer = _server.Client();
        Json.Done(await Json.CustomerChatAsync(customer, null, "哪里能买到火箭燃料")).GetProperty("handoff").GetBoolean().ShouldBeFalse();
        using var admin = await _server.SignedInClientAsync(KefuTestServer.AdminName, KefuTestServer.AdminPassword);
        var lists = await Json.GetAsync(admin, "api/dashboard/words");
        lists.GetProperty("editable").GetBoolean().ShouldBeTrue();
        var added = await Json.PostAsync(admin, "api/dashboard/words", new { category = "illegal_goods", word = "火箭燃料" });
        added.GetProperty("added").GetBoolean().ShouldBeTrue();
        (await Json.PostAsync(admin, "api/dashboard/words", new { category = "illegal_goods", word = "火箭燃料" })).GetProperty("added").GetBoolean().ShouldBeFalse();
        var category = (await Json.GetAsync(admin, "api/dashboard/words")).GetProperty("categories").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "illegal_goods");
        category.GetProperty("words").EnumerateArray().Select(w => w.GetString()).ShouldContain("火箭燃料");
        (await File.ReadAllTextAsync(Path.Combine(Path.GetDirectoryName(_server.LexiconPath)!, "illegal-goods.txt"), TestContext.Current.CancellationToken))
            .ShouldContain("火箭燃料\n");

        // Now a severe listed word: the input guard refuses the message and hands the conversation to a person.
        var turn = Json.Done(await Json.CustomerChatAsync(customer, null, "哪里能买到火箭燃料"));
        turn.GetProperty("handoff").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task AddWord_UnknownCategory_Returns400NamingIt()
    {
        using var operatorKey = _server.Client(withKey: true);
        using var response = await operatorKey.PostAsync("api/dashboard/words", Json.Body(new { category = "nope", word = "x" }), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("'nope'");
    }
}
