using Kefu.Model.Chat;
using Kefu.Text;
using Microsoft.Extensions.AI;

namespace Kefu.Model.Tests.Chat;

/// <summary>
/// The IChatClient mapping layer, driven by a scripted token source: what the model is asked (template, options)
/// and what the caller gets back (text, tool calls, finish reason, usage) for known model output.
/// </summary>
public sealed class Qwen2ChatClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetResponse_PlainReply_GivesTheTextStopAndUsage()
    {
        var tokenizer = ChatTokenizers.Qwen25;
        var reply = ChatTokenizers.Reply("您好，请问有什么可以帮您？");
        var generator = new ScriptedTokenGenerator(reply);
        using var client = new Qwen2ChatClient(generator, tokenizer);

        var response = await client.GetResponseAsync([new(ChatRole.System, "你是青禾优选的客服。"), new(ChatRole.User, "你好")], cancellationToken: Ct);

        response.Text.ShouldBe("您好，请问有什么可以帮您？");
        response.FinishReason.ShouldBe(ChatFinishReason.Stop);
        response.Usage!.InputTokenCount.ShouldBe(generator.Prompts[0].Count);
        response.Usage.OutputTokenCount.ShouldBe(reply.Length);
        tokenizer.Decode(generator.Prompts[0]).ShouldBe("<|im_start|>system\n你是青禾优选的客服。<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n");
    }

    [Fact]
    public async Task GetResponse_MapsChatOptionsToSamplingOptions()
    {
        var generator = new ScriptedTokenGenerator(ChatTokenizers.Reply("好的"));
        using var client = new Qwen2ChatClient(generator, ChatTokenizers.Qwen25);
        var options = new ChatOptions { Temperature = 0.3f, TopP = 0.9f, TopK = 5, MaxOutputTokens = 12, Seed = 7, AdditionalProperties = new() { ["repetition_penalty"] = 1.05 } };

        await client.GetResponseAsync([new(ChatRole.User, "hi")], options, Ct);

        var used = generator.Options[0];
        used.Temperature.ShouldBe(0.3, tolerance: 1e-6);
        used.TopP.ShouldBe(0.9, tolerance: 1e-6);
        used.TopK.ShouldBe(5);
        used.MaxNewTokens.ShouldBe(12);
        used.Seed.ShouldBe(7);
        used.RepetitionPenalty.ShouldBe(1.05);
        used.StopTokenIds.ShouldBe([151645, 151643]);
    }

    [Fact]
    public async Task GetResponse_StopSequence_CutsTheTextAndEndsGenerationEarly()
    {
        var reply = ChatTokenizers.Reply("订单已发货。END 以下内容不应出现，因为生成已经停止了。");
        var generator = new ScriptedTokenGenerator(reply);
        using var client = new Qwen2ChatClient(generator, ChatTokenizers.Qwen25);

        var response = await client.GetResponseAsync([new(ChatRole.User, "我的订单")], new ChatOptions { StopSequences = ["END"] }, Ct);

        response.Text.ShouldBe("订单已发货。");
        response.FinishReason.ShouldBe(ChatFinishReason.Stop);
        generator.TokensPulled.ShouldBeLessThan(reply.Length);
    }

    [Fact]
    public async Task GetResponse_ReachingMaxTokens_ReportsLength()
    {
        var generator = new ScriptedTokenGenerator(ChatTokenizers.Reply("一二三四五六七八九十"));
        using var client = new Qwen2ChatClient(generator, ChatTokenizers.Qwen25);

        var response = await client.GetResponseAsync([new(ChatRole.User, "数数")], new ChatOptions { MaxOutputTokens = 3 }, Ct);

        response.FinishReason.ShouldBe(ChatFinishReason.Length);
        response.Usage!.OutputTokenCount.ShouldBe(3);
    }

    [Fact]
    public async Task GetResponse_ToolCallOutput_BecomesFunctionCallContent()
    {
        var tokenizer = ChatTokenizers.Qwen25;
        var reply = ChatTokenizers.Reply("<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call>");
        var generator = new ScriptedTokenGenerator(reply);
        using var client = new Qwen2ChatClient(generator, tokenizer);
        var options = new ChatOptions { Tools = [QueryOrder(_ => "")] };

        var response = await client.GetResponseAsync([new(ChatRole.User, "查一下ORD12345")], options, Ct);

        var call = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().ShouldHaveSingleItem();
        call.Name.ShouldBe("query_order");
        call.Arguments!["order_id"]!.ToString().ShouldBe("ORD12345");
        call.CallId.ShouldStartWith("call_");
        response.FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        response.Text.ShouldBeEmpty();
        // The tools were rendered into the system turn Hermes-style.
        var prompt = tokenizer.Decode(generator.Prompts[0]);
        prompt.ShouldContain("<tools>");
        prompt.ShouldContain("\"name\": \"query_order\"");
    }

    [Fact]
    public async Task FunctionInvokingChatClient_RunsTheToolAndFeedsItsResultBack()
    {
        var tokenizer = ChatTokenizers.Qwen25;
        var generator = new ScriptedTokenGenerator(
            ChatTokenizers.Reply("<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call>"),
            ChatTokenizers.Reply("您的订单ORD12345已发货，中通快递。"));
        var asked = new List<string>();
        using var inner = new Qwen2ChatClient(generator, tokenizer);
        using var client = new ChatClientBuilder(inner).UseFunctionInvocation().Build();

        var response = await client.GetResponseAsync(
            [new(ChatRole.User, "我的订单ORD12345到哪了？")],
            new ChatOptions { Tools = [QueryOrder(id => { asked.Add(id); return "{\"status\": \"已发货\", \"carrier\": \"中通快递\"}"; })] }, Ct);

        asked.ShouldBe(["ORD12345"]);
        response.Text.ShouldBe("您的订单ORD12345已发货，中通快递。");
        generator.Prompts.Count.ShouldBe(2);
        var second = tokenizer.Decode(generator.Prompts[1]);
        second.ShouldContain("<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call>");
        second.ShouldContain("<tool_response>\n{\"status\": \"已发货\", \"carrier\": \"中通快递\"}\n</tool_response>");
        second.ShouldEndWith("<|im_start|>assistant\n");
    }

    [Fact]
    public async Task Streaming_ChineseAndEmoji_ArriveAsWholeCharacters_AndTextBeforeAToolCallStreams()
    {
        const string text = "好的😀，我帮您查一下。";
        var generator = new ScriptedTokenGenerator(ChatTokenizers.Reply(text + "<tool_call>\n{\"name\": \"track_logistics\", \"arguments\": {\"order_id\": \"ORD10001\"}}\n</tool_call>"));
        using var client = new Qwen2ChatClient(generator, ChatTokenizers.Qwen25);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "物流")], cancellationToken: Ct))
            updates.Add(update);

        updates.Count.ShouldBeGreaterThan(3);
        updates.ShouldAllBe(u => !u.Text.Contains('\uFFFD', StringComparison.Ordinal));
        string.Concat(updates.Select(u => u.Text)).ShouldBe(text);
        updates[^1].FinishReason.ShouldBe(ChatFinishReason.ToolCalls);
        updates[^1].Contents.OfType<FunctionCallContent>().ShouldHaveSingleItem().Name.ShouldBe("track_logistics");
        updates.ShouldAllBe(u => u.Role == ChatRole.Assistant && u.ResponseId == updates[0].ResponseId);
    }

    [Fact]
    public async Task GetResponse_MalformedToolCall_KeepsTheTextAndReportsTheProblem()
    {
        var generator = new ScriptedTokenGenerator(ChatTokenizers.Reply("<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": </tool_call>"));
        using var client = new Qwen2ChatClient(generator, ChatTokenizers.Qwen25);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync([new(ChatRole.User, "查订单")], new ChatOptions { Tools = [QueryOrder(_ => "")] }, Ct))
            updates.Add(update);

        updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ShouldBeEmpty();
        updates[^1].FinishReason.ShouldBe(ChatFinishReason.Stop);
        var problems = updates[^1].AdditionalProperties![Qwen2ChatClient.ToolCallProblemsKey].ShouldBeAssignableTo<IReadOnlyList<string>>();
        problems.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task GetResponse_ImageContent_IsRefusedClearly()
    {
        using var client = new Qwen2ChatClient(new ScriptedTokenGenerator([151645]), ChatTokenizers.Qwen25);
        var message = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "image/png")]);

        (await Should.ThrowAsync<NotSupportedException>(() => client.GetResponseAsync([message], cancellationToken: Ct))).Message.ShouldContain("text only");
    }

    [Fact]
    public void GetService_ReportsMetadataAndTheTokenizer()
    {
        using var client = new Qwen2ChatClient(new ScriptedTokenGenerator([151645]), ChatTokenizers.Qwen25, new Qwen2ChatClientOptions { ModelId = "qinghe-0.5b" });

        client.GetService<ChatClientMetadata>()!.DefaultModelId.ShouldBe("qinghe-0.5b");
        client.GetService<Qwen2Tokenizer>().ShouldBeSameAs(ChatTokenizers.Qwen25);
    }

    private static AIFunction QueryOrder(Func<string, string> lookup) =>
        AIFunctionFactory.Create((string order_id) => lookup(order_id), "query_order", "查询订单状态");
}
