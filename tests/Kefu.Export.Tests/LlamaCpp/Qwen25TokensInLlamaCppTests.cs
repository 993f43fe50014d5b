using Kefu.Export.Qwen2;
using Kefu.Testing;
using Kefu.Testing.LlamaCpp;
using Kefu.Text;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// A model folder with Qwen2.5's 22 added tokens (added_tokens.json) and the Qwen2.5 tool-calling template, as
/// the shop's assistant uses it: llama.cpp must see &lt;tool_call&gt; as one token in prompts and replies, stop at
/// &lt;|im_end|&gt;, and give back the text Kefu's tokenizer gives back.
/// </summary>
public sealed class Qwen25TokensInLlamaCppTests(TinyQwen2Exports exports) : IClassFixture<TinyQwen2Exports>
{
    private static readonly ToolDefinition[] Tools =
    [
        new("query_order", "查询订单状态", """{"type": "object", "properties": {"order_id": {"type": "string", "description": "订单号，如ORD12345"}}, "required": ["order_id"]}"""),
    ];

    private static readonly ChatTurn[] ToolConversation =
    [
        new(ChatTurn.System, "你是青禾优选的智能客服小禾。"),
        new(ChatTurn.User, "帮我查一下ORD12345到哪了"),
        new(ChatTurn.Assistant, "") { ToolCalls = [new ToolCall("query_order", """{"order_id": "ORD12345"}""")] },
        new(ChatTurn.Tool, """{"status": "已发货", "carrier": "中通快递"}"""),
    ];

    [Fact]
    public void ToolCallPrompt_TokenizedByLlamaCpp_EqualsKefusIdsWithToolCallAsOneToken()
    {
        LlamaCppLibraries.Require();
        var (folder, path) = Export();
        var tokenizer = Qwen2Tokenizer.FromDirectory(folder);
        using var llama = LlamaCppModel.Load(path);

        var expected = ChatTemplate.TokenizePrompt(tokenizer, ToolConversation, Tools);
        var text = ChatTemplate.Render(ToolConversation, addGenerationPrompt: true, Tools);
        var actual = llama.Tokenize(text);

        actual.ShouldBe(expected);
        actual.ShouldContain(151657, "<tool_call> is one token");
        actual.ShouldContain(151658, "</tool_call> is one token");
        // A non-special added token is matched even when control tokens are not parsed, as in Hugging Face.
        llama.Tokenize("<tool_call>", parseSpecial: false).ShouldBe([151657]);
        llama.Detokenize(actual).ShouldBe(text);
        llama.Detokenize(tokenizer.Encode("<tool_call>\n{\"name\": \"query_order\"}\n</tool_call>"), renderSpecial: false)
            .ShouldBe("<tool_call>\n{\"name\": \"query_order\"}\n</tool_call>", "tool-call markers survive decoding so the caller can parse them");
    }

    [Fact]
    public void EndOfTurnTokens_InLlamaCpp_StopGeneration()
    {
        LlamaCppLibraries.Require();
        var (_, path) = Export();
        using var llama = LlamaCppModel.Load(path);

        llama.EndOfSequenceToken.ShouldBe(QwenAddedTokens.ImEndId);
        llama.IsEndOfGeneration(QwenAddedTokens.ImEndId).ShouldBeTrue();
        llama.IsEndOfGeneration(QwenAddedTokens.EndOfTextId).ShouldBeTrue();
        llama.IsEndOfGeneration(QwenAddedTokens.ImStartId).ShouldBeFalse();
        llama.IsEndOfGeneration(151657).ShouldBeFalse("<tool_call> opens a call, it does not end the turn");
    }

    [Fact]
    public void ChatTemplate_InTheGguf_IsTheOneGivenAndLlamaCppRendersItAsKefuDoes()
    {
        LlamaCppLibraries.Require();
        var (_, path) = Export();
        using var llama = LlamaCppModel.Load(path);
        var template = File.ReadAllText(SharedData.RequireFile("qwen2-tokenizer/Qwen-Qwen2.5-7B-Instruct.chat_template.jinja"));
        ChatTurn[] conversation = [new(ChatTurn.System, "你是青禾优选的智能客服小禾。"), new(ChatTurn.User, "运费险怎么退？")];

        llama.ChatTemplate.ShouldBe(template);
        var rendered = LlamaCppModel.ApplyChatTemplate(template, conversation.Select(t => KeyValuePair.Create(t.Role, t.Content)).ToList(), addAssistant: true);

        rendered.ShouldBe(ChatTemplate.Render(conversation, addGenerationPrompt: true));
    }

    private (string Folder, string Gguf) Export()
    {
        var folder = exports.Temp.File("qwen25");
        var path = exports.Temp.File("qwen25.gguf");
        if (!File.Exists(path))
        {
            var shared = SharedData.RequireDirectory("qwen2-tokenizer");
            TinyQwen2Exports.WriteFolder(exports.Model, folder);
            File.Delete(Path.Combine(folder, "tokenizer_config.json"));
            File.Copy(Path.Combine(shared, "added_tokens.qwen2.5.json"), Path.Combine(folder, "added_tokens.json"));
            var template = File.ReadAllText(Path.Combine(shared, "Qwen-Qwen2.5-7B-Instruct.chat_template.jinja"));
            Qwen2GgufExporter.Export(folder, path, GgufOutputType.Q8_0, name: "tiny-qwen25", chatTemplate: template);
        }
        return (folder, path);
    }
}
