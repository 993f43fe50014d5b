namespace Kefu.Text.Tests.Templates;

/// <summary>
/// Golden renderings of Qwen2-Instruct's template (tokenizer_config.qwen2-0.5b-instruct.json chat_template), written
/// by hand from the Jinja source.
/// </summary>
public sealed class ChatTemplateQwen2Tests
{
    [Fact]
    public void Render_NoSystemTurn_AddsTheDefaultSystemPrompt()
    {
        var rendered = ChatTemplate.Render([new ChatTurn("user", "你好")], addGenerationPrompt: true);

        rendered.ShouldBe(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\n你好<|im_end|>\n" +
            "<|im_start|>assistant\n");
    }

    [Fact]
    public void Render_SystemAndMultipleTurns_RendersEachTurnInOrder()
    {
        ChatTurn[] turns =
        [
            new("system", "你是青禾优选的客服助手。"),
            new("user", "发什么快递？"),
            new("assistant", "默认中通或圆通，顺丰需加12元。"),
            new("user", "谢谢"),
        ];

        ChatTemplate.Render(turns, addGenerationPrompt: true).ShouldBe(
            "<|im_start|>system\n你是青禾优选的客服助手。<|im_end|>\n" +
            "<|im_start|>user\n发什么快递？<|im_end|>\n" +
            "<|im_start|>assistant\n默认中通或圆通，顺丰需加12元。<|im_end|>\n" +
            "<|im_start|>user\n谢谢<|im_end|>\n" +
            "<|im_start|>assistant\n");
    }

    [Fact]
    public void Render_WithoutGenerationPrompt_EndsAfterTheLastTurn()
    {
        ChatTurn[] turns = [new("user", "Hi"), new("assistant", "Hello! How can I help?")];

        ChatTemplate.Render(turns, addGenerationPrompt: false).ShouldBe(
            "<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\nHi<|im_end|>\n" +
            "<|im_start|>assistant\nHello! How can I help?<|im_end|>\n");
    }

    [Fact]
    public void Render_ContentWithLineBreaksAndSpaces_IsCopiedVerbatim()
    {
        ChatTurn[] turns = [new("system", "  规则：\n1. 礼貌\n\n"), new("user", "\n问题 ")];

        ChatTemplate.Render(turns, addGenerationPrompt: false).ShouldBe(
            "<|im_start|>system\n  规则：\n1. 礼貌\n\n<|im_end|>\n" +
            "<|im_start|>user\n\n问题 <|im_end|>\n");
    }

    [Fact]
    public void Render_NoTurns_IsOnlyTheGenerationPrompt()
    {
        ChatTemplate.Render([], addGenerationPrompt: true).ShouldBe("<|im_start|>assistant\n");
        ChatTemplate.Render([], addGenerationPrompt: false).ShouldBe("");
    }

    [Fact]
    public void Render_PlainConversation_ChoosesTheQwen2Flavour()
    {
        ChatTemplate.ChooseFlavor([new ChatTurn("user", "Hi")]).ShouldBe(ChatTemplateFlavor.Qwen2);
    }

    [Fact]
    public void Render_Qwen2FlavourWithTools_IsRejected()
    {
        ToolDefinition[] tools = [new("query_order", "查询订单", """{"type": "object"}""")];

        Should.Throw<ArgumentException>(() => ChatTemplate.Render([new ChatTurn("user", "Hi")], true, tools, ChatTemplateFlavor.Qwen2))
            .Message.ShouldContain("Qwen25");
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("")]
    public void Render_UnknownRole_IsRejectedNamingTheTurn(string role)
    {
        Should.Throw<ArgumentException>(() => ChatTemplate.Render([new ChatTurn("user", "a"), new ChatTurn(role, "b")], false))
            .Message.ShouldContain("Turn 1");
    }
}
