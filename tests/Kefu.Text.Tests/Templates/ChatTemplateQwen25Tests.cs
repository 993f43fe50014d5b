namespace Kefu.Text.Tests.Templates;

/// <summary>
/// Golden renderings of Qwen2.5-Instruct's template (shared Qwen-Qwen2.5-7B-Instruct.chat_template.jinja), written by
/// hand from the Jinja source, with Hugging Face's tojson (json.dumps, ensure_ascii=False: ", " and ": ", key order
/// kept, Chinese unescaped).
/// </summary>
public sealed class ChatTemplateQwen25Tests
{
    private const string Qwen25System = "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n";

    private const string ToolsInstructions =
        "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n" +
        "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";

    private const string ToolsFooter =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n" +
        "<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    private static readonly ToolDefinition QueryOrder = new(
        "query_order",
        "查询订单状态",
        """{"type":"object","properties":{"order_id":{"type":"string","description":"订单号，如 ORD12345"}},"required":["order_id"]}""");

    private static readonly ToolDefinition TrackLogistics = new(
        "track_logistics",
        "查询物流",
        """
        {
          "type": "object",
          "properties": { "order_id": { "type": "string" } },
          "required": [ "order_id" ]
        }
        """);

    private const string QueryOrderJson =
        "{\"type\": \"function\", \"function\": {\"name\": \"query_order\", \"description\": \"查询订单状态\", \"parameters\": " +
        "{\"type\": \"object\", \"properties\": {\"order_id\": {\"type\": \"string\", \"description\": \"订单号，如 ORD12345\"}}, \"required\": [\"order_id\"]}}}";

    private const string TrackLogisticsJson =
        "{\"type\": \"function\", \"function\": {\"name\": \"track_logistics\", \"description\": \"查询物流\", \"parameters\": " +
        "{\"type\": \"object\", \"properties\": {\"order_id\": {\"type\": \"string\"}}, \"required\": [\"order_id\"]}}}";

    [Fact]
    public void Render_Qwen25WithoutSystemOrTools_UsesQwensDefaultSystemPrompt()
    {
        ChatTemplate.Render([new ChatTurn("user", "Hi")], true, null, ChatTemplateFlavor.Qwen25).ShouldBe(
            Qwen25System +
            "<|im_start|>user\nHi<|im_end|>\n" +
            "<|im_start|>assistant\n");
    }

    [Fact]
    public void Render_Qwen25WithSystemNoTools_PutsTheSystemTurnFirstOnce()
    {
        ChatTurn[] turns = [new("system", "你是客服。"), new("user", "在吗"), new("system", "注意语气。"), new("assistant", "在的")];

        ChatTemplate.Render(turns, false, null, ChatTemplateFlavor.Qwen25).ShouldBe(
            "<|im_start|>system\n你是客服。<|im_end|>\n" +
            "<|im_start|>user\n在吗<|im_end|>\n" +
            "<|im_start|>system\n注意语气。<|im_end|>\n" +
            "<|im_start|>assistant\n在的<|im_end|>\n");
    }

    [Fact]
    public void Render_ToolsWithSystemTurn_ListsEachToolAsJsonInTheSystemTurn()
    {
        ChatTurn[] turns = [new("system", "你是青禾优选的客服助手。"), new("user", "我的订单ORD12345到哪了？")];

        ChatTemplate.Render(turns, true, [QueryOrder, TrackLogistics]).ShouldBe(
            "<|im_start|>system\n你是青禾优选的客服助手。" + ToolsInstructions +
            "\n" + QueryOrderJson +
            "\n" + TrackLogisticsJson +
            ToolsFooter +
            "<|im_start|>user\n我的订单ORD12345到哪了？<|im_end|>\n" +
            "<|im_start|>assistant\n");
    }

    [Fact]
    public void Render_ToolsWithoutSystemTurn_UsesQwensDefaultSystemPromptBeforeTheTools()
    {
        ChatTemplate.Render([new ChatTurn("user", "查订单")], false, [QueryOrder]).ShouldBe(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant." + ToolsInstructions +
            "\n" + QueryOrderJson +
            ToolsFooter +
            "<|im_start|>user\n查订单<|im_end|>\n");
    }

    [Fact]
    public void Render_ToolCallsAndToolResponses_FollowTheHermesFormat()
    {
        const string arguments = """{"order_id": "ORD12345"}""";
        ChatTurn[] turns =
        [
            new("system", "你是客服。"),
            new("user", "ORD12345 什么时候到？"),
            new("assistant", "") { ToolCalls = [new ToolCall("query_order", arguments), new ToolCall("track_logistics", """{"order_id":"ORD12345"}""")] },
            new("tool", """{"status": "已发货"}"""),
            new("tool", """{"carrier": "中通快递", "tracking_number": "ZTO123456789012"}"""),
            new("assistant", "您的订单已发货，中通快递 ZTO123456789012。"),
            new("user", "好的"),
        ];

        ChatTemplate.Render(turns, true, [QueryOrder, TrackLogistics]).ShouldBe(
            "<|im_start|>system\n你是客服。" + ToolsInstructions + "\n" + QueryOrderJson + "\n" + TrackLogisticsJson + ToolsFooter +
            "<|im_start|>user\nORD12345 什么时候到？<|im_end|>\n" +
            "<|im_start|>assistant\n<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call>" +
            "\n<tool_call>\n{\"name\": \"track_logistics\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call><|im_end|>\n" +
            "<|im_start|>user\n<tool_response>\n{\"status\": \"已发货\"}\n</tool_response>" +
            "\n<tool_response>\n{\"carrier\": \"中通快递\", \"tracking_number\": \"ZTO123456789012\"}\n</tool_response><|im_end|>\n" +
            "<|im_start|>assistant\n您的订单已发货，中通快递 ZTO123456789012。<|im_end|>\n" +
            "<|im_start|>user\n好的<|im_end|>\n" +
            "<|im_start|>assistant\n");
    }

    [Fact]
    public void Render_AssistantContentBeforeToolCall_IsFollowedByTheCallOnANewLine()
    {
        ChatTurn[] turns =
        [
            new("user", "帮我查下 ORD12345"),
            new("assistant", "好的，我查一下。") { ToolCalls = [new ToolCall("query_order", """{"order_id": "ORD12345"}""")] },
            new("tool", "订单不存在"),
        ];

        ChatTemplate.Render(turns, false, [QueryOrder]).ShouldEndWith(
            "<|im_start|>user\n帮我查下 ORD12345<|im_end|>\n" +
            "<|im_start|>assistant\n好的，我查一下。\n<tool_call>\n{\"name\": \"query_order\", \"arguments\": {\"order_id\": \"ORD12345\"}}\n</tool_call><|im_end|>\n" +
            "<|im_start|>user\n<tool_response>\n订单不存在\n</tool_response><|im_end|>\n");
    }

    [Fact]
    public void Render_ToolCallArguments_UsePythonJsonSpacingAndEscaping()
    {
        const string arguments = """{"a":1,"b":[1,2.50,1e-7,1E+16,-0],"c":{"d":null,"e":true},"f":"引号\"和\\反斜杠\n换行\u0001","a":2}""";
        ChatTurn[] turns = [new("user", "x"), new("assistant", "") { ToolCalls = [new ToolCall("f", arguments)] }];

        ChatTemplate.Render(turns, false, null, ChatTemplateFlavor.Qwen25).ShouldContain(
            "{\"name\": \"f\", \"arguments\": {\"a\": 2, \"b\": [1, 2.5, 1e-07, 1e+16, 0], \"c\": {\"d\": null, \"e\": true}, " +
            "\"f\": \"引号\\\"和\\\\反斜杠\\n换行\\u0001\"}}");
    }

    [Fact]
    public void Render_ToolTurnFirst_OpensAUserTurn()
    {
        ChatTemplate.Render([new ChatTurn("tool", "42")], false).ShouldBe(
            Qwen25System + "<|im_start|>user\n<tool_response>\n42\n</tool_response><|im_end|>\n");
    }

    [Fact]
    public void Render_ConversationWithToolTurns_ChoosesTheQwen25Flavour()
    {
        ChatTemplate.ChooseFlavor([new ChatTurn("user", "Hi"), new ChatTurn("tool", "{}")]).ShouldBe(ChatTemplateFlavor.Qwen25);
        ChatTemplate.ChooseFlavor([new ChatTurn("user", "Hi")], [QueryOrder]).ShouldBe(ChatTemplateFlavor.Qwen25);
    }

    [Fact]
    public void Render_InvalidArgumentsJson_IsRejectedNamingTheCall()
    {
        ChatTurn[] turns = [new("user", "x"), new("assistant", "") { ToolCalls = [new ToolCall("query_order", "{order_id: 1")] }];

        Should.Throw<ArgumentException>(() => ChatTemplate.Render(turns, false)).Message.ShouldContain("query_order");
    }

    [Fact]
    public void Render_ToolCallOnAUserTurn_IsRejected()
    {
        ChatTurn[] turns = [new("user", "x") { ToolCalls = [new ToolCall("query_order", "{}")] }];

        Should.Throw<ArgumentException>(() => ChatTemplate.Render(turns, false)).Message.ShouldContain("only assistant turns");
    }

    [Fact]
    public void Render_Qwen25WithNoTurns_IsRejected()
    {
        Should.Throw<ArgumentException>(() => ChatTemplate.Render([], true, null, ChatTemplateFlavor.Qwen25));
    }
}
