using System.Text.Json;
using Kefu.Model.Generation;
using Kefu.Text;
using Microsoft.Extensions.AI;

namespace Kefu.Model.Chat;

/// <summary>Translates Microsoft.Extensions.AI messages and options into the chat template's turns and generation options.</summary>
internal static class ChatMessageMapper
{
    /// <summary>
    /// Messages → template turns: system, user and assistant text as is; an assistant's FunctionCallContent as tool
    /// calls; every FunctionResultContent as a tool turn (the template groups them into &lt;tool_response&gt;s).
    /// </summary>
    public static List<ChatTurn> ToTurns(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var turns = new List<ChatTurn>();
        var index = 0;
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is DataContent or UriContent or HostedFileContent)
                    throw new NotSupportedException($"Message {index} holds {content.GetType().Name}: this Qwen2 model reads text only.");
            }
            var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
            var results = message.Contents.OfType<FunctionResultContent>().ToList();
            var calls = message.Contents.OfType<FunctionCallContent>().ToList();
            var role = message.Role.Value;
            if (message.Role == ChatRole.Tool || results.Count > 0)
            {
                // A tool message without FunctionResultContent (hand-written history) still carries its text.
                if (results.Count == 0)
                    turns.Add(new ChatTurn(ChatTurn.Tool, text));
                turns.AddRange(results.Select(r => new ChatTurn(ChatTurn.Tool, ResultText(r))));
            }
            else if (message.Role == ChatRole.Assistant)
            {
                turns.Add(new ChatTurn(ChatTurn.Assistant, text)
                {
                    ToolCalls = calls.Select(c => new ToolCall(c.Name, JsonSerializer.Serialize(c.Arguments ?? new Dictionary<string, object?>()))).ToList(),
                });
            }
            else if (message.Role == ChatRole.System || message.Role == ChatRole.User)
            {
                turns.Add(new ChatTurn(role, text));
            }
            else
            {
                throw new NotSupportedException($"Message {index} has role '{role}'; Qwen2's template knows system, user, assistant and tool.");
            }
            index++;
        }

        if (!string.IsNullOrWhiteSpace(instructions))
        {
            if (turns.Count > 0 && turns[0].Role == ChatTurn.System)
                turns[0] = turns[0] with { Content = turns[0].Content + "\n\n" + instructions };
            else
                turns.Insert(0, new ChatTurn(ChatTurn.System, instructions));
        }
        return turns;
    }

    /// <summary>ChatOptions.Tools → the template's tool definitions (none when ToolMode is None).</summary>
    public static List<ToolDefinition>? ToTools(ChatOptions? options)
    {
        if (options?.Tools is not { Count: > 0 } tools || options.ToolMode is NoneChatToolMode)
            return null;
        return tools.Select(tool => tool is AIFunctionDeclaration function
                ? new ToolDefinition(function.Name, function.Description, function.JsonSchema.GetRawText())
                : throw new NotSupportedException($"Tool '{tool.Name}' is a {tool.GetType().Name}; only functions (AIFunctionDeclaration) can be offered to Qwen2."))
            .ToList();
    }

    /// <summary>ChatOptions over the client's defaults: temperature, top-p, top-k, max tokens, seed, repetition_penalty.</summary>
    public static GenerationOptions ToGenerationOptions(ChatOptions? options, GenerationOptions defaults)
    {
        if (options is null)
            return defaults;
        var repetitionPenalty = defaults.RepetitionPenalty;
        if (options.AdditionalProperties?.TryGetValue("repetition_penalty", out var value) == true)
            repetitionPenalty = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
        var generation = defaults with
        {
            MaxNewTokens = options.MaxOutputTokens ?? defaults.MaxNewTokens,
            Temperature = options.Temperature ?? defaults.Temperature,
            TopP = options.TopP ?? defaults.TopP,
            TopK = options.TopK ?? defaults.TopK,
            Seed = options.Seed ?? defaults.Seed,
            RepetitionPenalty = repetitionPenalty,
        };
        generation.Validate();
        return generation;
    }

    /// <summary>A tool call as M.E.AI represents it, arguments parsed from the model's JSON.</summary>
    public static FunctionCallContent ToFunctionCall(ToolCall call)
    {
        Dictionary<string, object?>? arguments = null;
        Exception? problem = null;
        try
        {
            arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(call.ArgumentsJson);
        }
        catch (JsonException e)
        {
            problem = e;
        }
        return new FunctionCallContent("call_" + Guid.NewGuid().ToString("N")[..24], call.Name, arguments ?? []) { Exception = problem };
    }

    private static string ResultText(FunctionResultContent result) => result.Result switch
    {
        null => result.Exception is { } e ? "Error: " + e.Message : "",
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? "",
        JsonElement element => element.GetRawText(),
        var other => JsonSerializer.Serialize(other),
    };
}
