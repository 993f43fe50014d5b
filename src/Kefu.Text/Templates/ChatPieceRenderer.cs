using System.Text;

namespace Kefu.Text.Templates;

/// <summary>
/// Renders a conversation into <see cref="ChatPiece"/>s, following the official Jinja templates statement by statement
/// (Qwen2-Instruct's tokenizer_config.json chat_template, and Qwen2.5-Instruct's, see
/// Qwen-Qwen2.5-7B-Instruct.chat_template.jinja). Their concatenation is what the Jinja renders.
/// </summary>
internal static class ChatPieceRenderer
{
    public const string Qwen25DefaultSystemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    private const string ToolsPreamble =
        "\n\n# Tools\n\nYou may call one or more functions to assist with the user query.\n\n"
        + "You are provided with function signatures within <tools></tools> XML tags:\n<tools>";

    private const string ToolsPostamble =
        "\n</tools>\n\nFor each function call, return a json object with function name and arguments within "
        + "<tool_call></tool_call> XML tags:\n<tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call><|im_end|>\n";

    public static ChatTemplateFlavor ChooseFlavor(IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools) =>
        tools is { Count: > 0 } || turns.Any(t => t.Role == ChatTurn.Tool || t.ToolCalls is { Count: > 0 })
            ? ChatTemplateFlavor.Qwen25
            : ChatTemplateFlavor.Qwen2;

    public static List<ChatPiece> Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt, IReadOnlyList<ToolDefinition>? tools, ChatTemplateFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(turns);
        Validate(turns, tools, flavor);
        var pieces = new List<ChatPiece>(turns.Count * 4 + 8);
        if (flavor == ChatTemplateFlavor.Qwen2)
            RenderQwen2(turns, pieces);
        else
            RenderQwen25(turns, tools, pieces);
        if (addGenerationPrompt)
            pieces.Add(ChatPiece.Markup("<|im_start|>assistant\n"));
        return pieces;
    }

    // {% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\nYou are
    // a helpful assistant.<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] +
    // '<|im_end|>' + '\n'}}{% endfor %}
    private static void RenderQwen2(IReadOnlyList<ChatTurn> turns, List<ChatPiece> pieces)
    {
        for (var i = 0; i < turns.Count; i++)
        {
            if (i == 0 && turns[0].Role != ChatTurn.System)
                pieces.Add(ChatPiece.Markup($"<|im_start|>system\n{ChatTemplate.DefaultSystemPrompt}<|im_end|>\n"));
            AddPlainTurn(turns[i], pieces);
        }
    }

    private static void RenderQwen25(IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools, List<ChatPiece> pieces)
    {
        if (turns.Count == 0)
            throw new ArgumentException("The Qwen2.5 template needs at least one turn (it reads messages[0]).", nameof(turns));
        var firstIsSystem = turns[0].Role == ChatTurn.System;
        if (tools is { Count: > 0 })
        {
            pieces.Add(ChatPiece.Markup("<|im_start|>system\n"));
            pieces.Add(firstIsSystem ? ChatPiece.Content(ContentOf(turns[0])) : ChatPiece.Markup(Qwen25DefaultSystemPrompt));
            pieces.Add(ChatPiece.Markup(ToolsPreamble));
            foreach (var tool in tools)
            {
                pieces.Add(ChatPiece.Markup("\n"));
                pieces.Add(ChatPiece.Content(ToolJson(tool)));
            }
            pieces.Add(ChatPiece.Markup(ToolsPostamble));
        }
        else if (firstIsSystem)
        {
            pieces.Add(ChatPiece.Markup("<|im_start|>system\n"));
            pieces.Add(ChatPiece.Content(ContentOf(turns[0])));
            pieces.Add(ChatPiece.Markup("<|im_end|>\n"));
        }
        else
        {
            pieces.Add(ChatPiece.Markup($"<|im_start|>system\n{Qwen25DefaultSystemPrompt}<|im_end|>\n"));
        }

        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i];
            switch (turn.Role)
            {
                case ChatTurn.System when i == 0:
                    break; // rendered in the header above
                case ChatTurn.Assistant when turn.ToolCalls is { Count: > 0 }:
                    AddAssistantWithToolCalls(turn, pieces);
                    break;
                case ChatTurn.Tool:
                    // Consecutive tool results share one user turn.
                    if (i == 0 || turns[i - 1].Role != ChatTurn.Tool)
                        pieces.Add(ChatPiece.Markup("<|im_start|>user"));
                    pieces.Add(ChatPiece.Markup("\n<tool_response>\n"));
                    pieces.Add(ChatPiece.Content(ContentOf(turn)));
                    pieces.Add(ChatPiece.Markup("\n</tool_response>"));
                    if (i == turns.Count - 1 || turns[i + 1].Role != ChatTurn.Tool)
                        pieces.Add(ChatPiece.Markup("<|im_end|>\n"));
                    break;
                default:
                    AddPlainTurn(turn, pieces);
                    break;
            }
        }
    }

    // '<|im_start|>' + role + '\n' + content + '<|im_end|>' + '\n'; the loss covers an assistant's content and <|im_end|>.
    private static void AddPlainTurn(ChatTurn turn, List<ChatPiece> pieces)
    {
        var trained = turn.Role == ChatTurn.Assistant;
        pieces.Add(ChatPiece.Markup($"<|im_start|>{turn.Role}\n"));
        pieces.Add(ChatPiece.Content(ContentOf(turn), trained));
        pieces.Add(ChatPiece.Markup("<|im_end|>", trained));
        pieces.Add(ChatPiece.Markup("\n"));
    }

    // '<|im_start|>assistant' ['\n' + content] then per call '\n<tool_call>\n{"name": "' + name + '", "arguments": ' +
    // (arguments | tojson) + '}\n</tool_call>', then '<|im_end|>\n'. The first '\n' stands where the generation prompt's
    // '\n' stands, so it is not trained; everything the model writes after it is.
    private static void AddAssistantWithToolCalls(ChatTurn turn, List<ChatPiece> pieces)
    {
        pieces.Add(ChatPiece.Markup("<|im_start|>assistant"));
        pieces.Add(ChatPiece.Markup("\n"));
        var content = ContentOf(turn);
        var first = true;
        if (content.Length > 0)
        {
            pieces.Add(ChatPiece.Content(content, trained: true));
            first = false;
        }
        foreach (var call in turn.ToolCalls)
        {
            pieces.Add(ChatPiece.Markup(first ? "<tool_call>\n{\"name\": \"" : "\n<tool_call>\n{\"name\": \"", trained: true));
            first = false;
            pieces.Add(ChatPiece.Content(call.Name, trained: true));
            pieces.Add(ChatPiece.Markup("\", \"arguments\": ", trained: true));
            pieces.Add(ChatPiece.Content(ArgumentsJson(call), trained: true));
            pieces.Add(ChatPiece.Markup("}\n</tool_call>", trained: true));
        }
        pieces.Add(ChatPiece.Markup("<|im_end|>", trained: true));
        pieces.Add(ChatPiece.Markup("\n"));
    }

    internal static string ToolJson(ToolDefinition tool)
    {
        if (!PythonJson.TryReformat(tool.ParametersJsonSchema ?? "", out var parameters, out var error))
            throw new ArgumentException($"Tool {tool.Name}: ParametersJsonSchema is not valid JSON: {error}", nameof(tool));
        var builder = new StringBuilder("{\"type\": \"function\", \"function\": {\"name\": ");
        PythonJson.WriteString(builder, tool.Name);
        builder.Append(", \"description\": ");
        PythonJson.WriteString(builder, tool.Description ?? "");
        builder.Append(", \"parameters\": ").Append(parameters).Append("}}");
        return builder.ToString();
    }

    private static string ArgumentsJson(ToolCall call) =>
        PythonJson.TryReformat(call.ArgumentsJson ?? "", out var formatted, out var error)
            ? formatted
            : throw new ArgumentException($"Tool call {call.Name}: ArgumentsJson is not valid JSON: {error}", nameof(call));

    private static string ContentOf(ChatTurn turn) => turn.Content ?? string.Empty;

    private static void Validate(IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools, ChatTemplateFlavor flavor)
    {
        for (var i = 0; i < turns.Count; i++)
        {
            var turn = turns[i] ?? throw new ArgumentException($"Turn {i} is null.", nameof(turns));
            if (turn.Role is not (ChatTurn.System or ChatTurn.User or ChatTurn.Assistant or ChatTurn.Tool))
                throw new ArgumentException($"Turn {i}: role \"{turn.Role}\" is not one of system, user, assistant, tool.", nameof(turns));
            if (turn.ToolCalls is { Count: > 0 } calls)
            {
                if (turn.Role != ChatTurn.Assistant)
                    throw new ArgumentException($"Turn {i}: only assistant turns make tool calls (this one is {turn.Role}).", nameof(turns));
                if (flavor == ChatTemplateFlavor.Qwen2)
                    throw new ArgumentException($"Turn {i} makes tool calls, which the Qwen2 template has no format for; use {nameof(ChatTemplateFlavor.Qwen25)}.", nameof(turns));
                foreach (var call in calls)
                {
                    if (string.IsNullOrWhiteSpace(call?.Name))
                        throw new ArgumentException($"Turn {i}: a tool call has no name.", nameof(turns));
                }
            }
        }
        if (tools is { Count: > 0 })
        {
            if (flavor == ChatTemplateFlavor.Qwen2)
                throw new ArgumentException($"The Qwen2 template has no tool format; use {nameof(ChatTemplateFlavor.Qwen25)}.", nameof(tools));
            foreach (var tool in tools)
            {
                if (string.IsNullOrWhiteSpace(tool?.Name))
                    throw new ArgumentException("A tool definition has no name.", nameof(tools));
            }
        }
    }
}
