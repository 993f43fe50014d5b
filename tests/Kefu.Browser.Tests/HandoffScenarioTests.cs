using Kefu.Browser.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Kefu.Browser.Tests;

/// <summary>
/// The whole hand-off in a real browser: a customer (phone-sized window) gets an answer with its source and asks for a
/// person; an agent who is already signed in sees the conversation arrive in the live queue, claims it and replies;
/// the customer sees the reply — pushed over the live stream, not polled — and rates the conversation; the dashboard
/// counts the hand-off and the rating.
/// </summary>
public sealed class HandoffScenarioTests
{
    static HandoffScenarioTests() => SetDefaultExpectTimeout(20_000);

    [Fact]
    public async Task CustomerAsksForHuman_AgentClaimsAndReplies_CustomerSeesReplyAndDashboardCountsHandoff()
    {
        await using var browser = await BrowserSession.StartAsync(nameof(CustomerAsksForHuman_AgentClaimsAndReplies_CustomerSeesReplyAndDashboardCountsHandoff));
        await using var server = await KefuTestServer.StartAsync();
        var root = server.Address.ToString().TrimEnd('/');

        // The customer, on a phone-sized screen, asks a question the knowledge base answers.
        var customerContext = await browser.NewContextAsync(375, 740);
        var customer = await customerContext.NewPageAsync();
        var customerRequests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        customer.Request += (_, request) => customerRequests.Enqueue(new Uri(request.Url).AbsolutePath);
        await customer.GotoAsync(root + "/");
        await Expect(customer.Locator("#title")).ToContainTextAsync("青禾优选");
        await Expect(customer.Locator(".bubble-row.assistant").First).ToContainTextAsync("有什么可以帮您");
        await browser.ScreenshotAsync(customer, "customer-welcome");
        await customer.Locator("#quick button", new() { HasText = "退货运费谁出？" }).ClickAsync();
        var answer = customer.Locator(".bubble-row.assistant").Nth(1);
        await Expect(answer).ToContainTextAsync("运费");
        await Expect(answer.Locator(".sources .source")).ToContainTextAsync("退货运费谁出？");
        await browser.ScreenshotAsync(customer, "customer-answer-with-source");

        // The agent signs in while the queue is empty.
        var agentContext = await browser.NewContextAsync();
        var agent = await agentContext.NewPageAsync();
        await agent.GotoAsync(root + "/agent");
        await agent.Locator("#name").FillAsync(KefuTestServer.AgentName);
        await agent.Locator("#password").FillAsync(KefuTestServer.AgentPassword);
        await agent.Locator("#sign-in").ClickAsync();
        await Expect(agent.Locator("#who")).ToContainTextAsync("客服小王");
        await Expect(agent.Locator("#live")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("on"));
        await Expect(agent.Locator("#waiting-count")).ToHaveTextAsync("0");
        await browser.ScreenshotAsync(agent, "agent-empty-queue");

        // The customer asks for a person and is told their place in line.
        await customer.Locator("#human").ClickAsync();
        await Expect(customer.Locator("#banner")).ToContainTextAsync("第 1 位");
        await browser.ScreenshotAsync(customer, "customer-queued");
        var sessionId = await customer.EvaluateAsync<string>("localStorage.getItem('kefu.session')");
        sessionId.ShouldStartWith("s_");

        // The conversation arrives in the agent's queue without a reload (server-sent events).
        var item = agent.Locator($".queue-item[data-session='{sessionId}']");
        await Expect(item).ToContainTextAsync("第 1 位");
        await Expect(item).ToContainTextAsync("客户要求转人工");
        await Expect(agent.Locator("#waiting-count")).ToHaveTextAsync("1");
        await browser.ScreenshotAsync(agent, "agent-queue-live");

        // The agent opens it: the bot's turns, the routing log and the hand-off reason, with knowledge suggestions.
        await item.ClickAsync();
        await Expect(agent.Locator("#handoff-reason")).ToContainTextAsync("客户要求转人工");
        await Expect(agent.Locator("#timeline")).ToContainTextAsync("退货运费谁出？");
        await Expect(agent.Locator("#timeline .turn-note").First).ToContainTextAsync("知识问答");
        await Expect(agent.Locator("#suggestions .suggestion").First).ToBeVisibleAsync();
        await agent.Locator("#claim").ClickAsync();
        await Expect(agent.Locator("#session-state")).ToContainTextAsync("人工接待：wang");
        await agent.Locator("#reply").FillAsync("您好，我是客服小王。质量问题退货运费由我们承担，请问是什么问题呢？");
        await browser.ScreenshotAsync(agent, "agent-claimed");
        await agent.Locator("#send-reply").ClickAsync();
        await Expect(agent.Locator("#timeline .bubble-row.agent")).ToContainTextAsync("我是客服小王");

        // The customer sees the person's reply, by name, then the agent closes the conversation and the customer rates it.
        await Expect(customer.Locator(".bubble-row.agent")).ToContainTextAsync("我是客服小王");
        await Expect(customer.Locator(".bubble-row.agent .name")).ToHaveTextAsync("客服小王");
        await Expect(customer.Locator("#status")).ToContainTextAsync("人工客服");
        await Expect(customer.Locator("#banner")).ToContainTextAsync("客服小王已接入");
        // It came over the live stream: the page opened it once and never polled the conversation (the old way, every 2 s).
        customerRequests.Count(path => path == $"/api/customer/sessions/{sessionId}/events").ShouldBe(1);
        customerRequests.ShouldNotContain($"/api/customer/sessions/{sessionId}");
        await browser.ScreenshotAsync(customer, "customer-sees-agent-reply");
        await agent.Locator("#resolve").ClickAsync();
        await Expect(agent.Locator("#session-state")).ToContainTextAsync("已解决");
        await Expect(customer.Locator("#rating")).ToBeVisibleAsync();
        await customer.Locator("#stars button[data-score='5']").ClickAsync();
        await customer.Locator("#submit-rating").ClickAsync();
        await Expect(customer.Locator("#thanks")).ToBeVisibleAsync();
        await browser.ScreenshotAsync(customer, "customer-rated");

        // An admin's dashboard counts the hand-off and the rating.
        var adminContext = await browser.NewContextAsync(1280, 1000);
        var admin = await adminContext.NewPageAsync();
        await admin.GotoAsync(root + "/agent");
        await admin.Locator("#name").FillAsync(KefuTestServer.AdminName);
        await admin.Locator("#password").FillAsync(KefuTestServer.AdminPassword);
        await admin.Locator("#sign-in").ClickAsync();
        await Expect(admin.Locator("#dashboard-link")).ToBeVisibleAsync();
        await admin.GotoAsync(root + "/dashboard");
        await Expect(admin.Locator("#kpi-handoffs .value")).ToHaveTextAsync("1");
        await Expect(admin.Locator("#kpi-satisfaction .value")).ToHaveTextAsync("5.00 / 5");
        await Expect(admin.Locator("#latency-chart svg path[data-series='p95']")).ToHaveCountAsync(1);
        await Expect(admin.Locator("#word-lists details").First).ToBeVisibleAsync();
        await browser.ScreenshotAsync(admin, "dashboard");
    }

    [Fact]
    public async Task CustomerWaitingForHuman_LiveStreamRefused_FallsBackToPollingAndShowsEachReplyOnce()
    {
        await using var browser = await BrowserSession.StartAsync(nameof(CustomerWaitingForHuman_LiveStreamRefused_FallsBackToPollingAndShowsEachReplyOnce));
        // No live streams at all: every attempt is refused (429), as an overloaded server or a hostile proxy would.
        await using var server = await KefuTestServer.StartAsync(o => o.MaxCustomerStreams = 0);
        var context = await browser.NewContextAsync(375, 740);
        var customer = await context.NewPageAsync();
        var requests = new System.Collections.Concurrent.ConcurrentQueue<string>();
        customer.Request += (_, request) => requests.Enqueue(new Uri(request.Url).AbsolutePath);
        await customer.GotoAsync(server.Address.ToString());
        await Expect(customer.Locator(".bubble-row.assistant").First).ToContainTextAsync("有什么可以帮您");
        await customer.Locator("#human").ClickAsync();
        await Expect(customer.Locator("#banner")).ToContainTextAsync("第 1 位");
        var sessionId = await customer.EvaluateAsync<string>("localStorage.getItem('kefu.session')");

        using var agent = server.Client(withKey: true);
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/accept", new { });
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = "第一条回复" });
        await Expect(customer.Locator(".bubble-row.agent")).ToContainTextAsync("第一条回复");
        await Json.PostAsync(agent, $"agent/sessions/{sessionId}/reply", new { message = "第二条回复" });
        await Expect(customer.Locator(".bubble-row.agent")).ToHaveCountAsync(2);
        // Several more polls see both replies again: still shown once each.
        var polls = requests.Count(path => path == $"/api/customer/sessions/{sessionId}");
        while (requests.Count(path => path == $"/api/customer/sessions/{sessionId}") < polls + 2)
            await Task.Delay(200, TestContext.Current.CancellationToken);
        await Expect(customer.Locator(".bubble-row.agent")).ToHaveCountAsync(2);
        await Expect(customer.Locator(".bubble-row.agent").Nth(1)).ToContainTextAsync("第二条回复");
        requests.Count(path => path == $"/api/customer/sessions/{sessionId}/events").ShouldBe(3, "three refused attempts, then polling");
    }

    [Fact]
    public async Task Widget_OnShopPageAtPhoneWidth_OpensChatFullScreenAndAnswers()
    {
        await using var browser = await BrowserSession.StartAsync(nameof(Widget_OnShopPageAtPhoneWidth_OpensChatFullScreenAndAnswers));
        await using var server = await KefuTestServer.StartAsync();
        var context = await browser.NewContextAsync(375, 740);
        var page = await context.NewPageAsync();
        await page.GotoAsync(server.Address + "demo-shop.html");
        await page.Locator("#kefu-widget-button").ClickAsync();
        var panel = page.Locator("#kefu-widget-panel");
        await Expect(panel).ToBeVisibleAsync();
        var box = await panel.BoundingBoxAsync();
        box.ShouldNotBeNull();
        box.Width.ShouldBe(375, 1);
        var chat = page.FrameLocator("#kefu-widget-panel iframe");
        await Expect(chat.Locator(".bubble-row.assistant").First).ToContainTextAsync("有什么可以帮您");
        await chat.Locator("#input").FillAsync("几点前下单当天发货？");
        await chat.Locator("#send").ClickAsync();
        await Expect(chat.Locator(".bubble-row.assistant").Nth(1)).ToContainTextAsync("16:00");
        await chat.Locator("#input").FillAsync("帮我查一下订单ORD12345的状态");
        await chat.Locator("#send").ClickAsync();
        var card = chat.Locator(".order-card");
        await Expect(card).ToContainTextAsync("订单 ORD12345");
        await Expect(card).ToContainTextAsync("已发货");
        await Expect(card).ToContainTextAsync("ZTO");
        await browser.ScreenshotAsync(page, "widget-open-phone-order-card");
        await chat.Locator("#close").ClickAsync();
        await Expect(panel).ToBeHiddenAsync();
    }
}
