using Kefu.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Kefu.Browser.Tests;

/// <summary>The customer channel at a conversation's message limit (MaxCustomerTurns): told in words, never a 500.</summary>
public sealed class CustomerTurnLimitTests
{
    static CustomerTurnLimitTests() => SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task Chat_BeyondTheTurnLimit_TellsTheCustomerHandsOffToAPersonAndStoresNoHalfTurn()
    {
        await using var server = await KefuTestServer.StartAsync(o => o.MaxCustomerTurns = 2);
        using var customer = server.Client();
        using var agent = server.Client(withKey: true);
        var sessionId = Json.Done(await Json.CustomerChatAsync(customer, null, "退货运费谁出？")).GetProperty("session_id").GetString()!;
        Json.Done(await Json.CustomerChatAsync(customer, sessionId, "几点前下单当天发货？")).GetProperty("state").GetString().ShouldBe("bot");
        var before = await Json.GetAsync(agent, $"agent/sessions/{sessionId}");

        var events = await Json.CustomerChatAsync(customer, sessionId, "发票怎么开？");

        var done = Json.Done(events);
        var reply = done.GetProperty("reply").GetString()!;
        reply.ShouldContain("本次对话已达到2条消息的上限");
        reply.ShouldContain("转接人工客服");
        string.Concat(events.Where(e => e.Type == "delta").Select(e => e.Data.GetProperty("text").GetString())).ShouldBe(reply);
        done.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        done.GetProperty("turn_limit_reached").GetBoolean().ShouldBeTrue();
        done.GetProperty("queue_position").GetInt32().ShouldBe(1);
        var after = await Json.GetAsync(agent, $"agent/sessions/{sessionId}");
        after.GetProperty("handoff_reason").GetString().ShouldBe("turn_limit");
        after.GetProperty("turns").GetArrayLength().ShouldBe(before.GetProperty("turns").GetArrayLength(), "the refused message is no turn");
        var messages = after.GetProperty("messages").EnumerateArray().ToList();
        messages.Count.ShouldBe(before.GetProperty("messages").GetArrayLength() + 1, "only the notice is stored");
        messages[^1].GetProperty("role").GetString().ShouldBe("assistant");
        messages[^1].GetProperty("content").GetString().ShouldBe(reply);
        messages.ShouldNotContain(m => m.GetProperty("content").GetString() == "发票怎么开？");

        // Waiting for the person: each further message is answered, none stored, so the conversation stays bounded.
        var again = Json.Done(await Json.CustomerChatAsync(customer, sessionId, "还在吗？"));
        again.GetProperty("reply").GetString()!.ShouldContain("人工客服会在这里继续回复您");
        again.GetProperty("state").GetString().ShouldBe("waiting_for_human");
        (await Json.GetAsync(agent, $"agent/sessions/{sessionId}")).GetProperty("messages").GetArrayLength().ShouldBe(messages.Count);
    }

    [Fact]
    public async Task ChatPage_AtTheLimit_ShowsTheNoticeAndAfterThePersonClosesItTheNextMessageStartsANewConversation()
    {
        await using var browser = await BrowserSession.StartAsync(nameof(ChatPage_AtTheLimit_ShowsTheNoticeAndAfterThePersonClosesItTheNextMessageStartsANewConversation));
        await using var server = await KefuTestServer.StartAsync(o => o.MaxCustomerTurns = 1);
        var context = await browser.NewContextAsync(375, 740);
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Address.ToString());
        await page.Locator("#quick button", new() { HasText = "退货运费谁出？" }).ClickAsync();
        await Expect(page.Locator(".bubble-row.assistant").Nth(1)).ToContainTextAsync("运费");
        var first = await page.EvaluateAsync<string>("localStorage.getItem('kefu.session')");

        await page.Locator("#input").FillAsync("几点前下单当天发货？");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".bubble-row.assistant").Nth(2)).ToContainTextAsync("本次对话已达到1条消息的上限");
        await Expect(page.Locator("#banner")).ToContainTextAsync("第 1 位");
        await browser.ScreenshotAsync(page, "customer-turn-limit");

        using var agent = server.Client(withKey: true);
        await Json.PostAsync(agent, $"agent/sessions/{first}/accept", new { });
        await Json.PostAsync(agent, $"agent/sessions/{first}/resolve", new { });
        await Expect(page.Locator("#rating")).ToBeVisibleAsync();
        await page.Locator("#input").FillAsync("积分会过期吗？");
        await page.Locator("#send").ClickAsync();
        await Expect(page.Locator(".bubble-row.assistant").Last).ToContainTextAsync("积分");
        (await page.EvaluateAsync<string>("localStorage.getItem('kefu.session')")).ShouldNotBe(first);
    }
}
