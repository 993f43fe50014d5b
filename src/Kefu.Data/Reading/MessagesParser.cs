using System.Text;
using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// OpenAI chat records: <c>messages</c> with roles system/user/assistant/tool, assistant <c>tool_calls</c> in OpenAI
/// form (arguments as a JSON string), tool results answering a call by <c>tool_call_id</c>, and optional
/// record-level <c>tools</c>.
/// </summary>
internal static class MessagesParser
{
    public static ParsedRecord? Parse(RecordContext context)
    {
        var envelope = RecordEnvelope.Read(context);
        if (!RecordContext.TryGet(context.Root, "messages", out var messages))
        {
            context.Error(DiagnosticCodes.MissingField, "messages", "missing: a chat record needs a 'messages' array");
            return null;
        }
        if (messages.ValueKind != JsonValueKind.Array)
        {
            context.Error(DiagnosticCodes.WrongType, "messages", $"must be an array of messages, not {RecordContext.Describe(messages.ValueKind)}");
            return null;
        }
        if (messages.GetArrayLength() == 0)
        {
            context.Error(DiagnosticCodes.EmptyField, "messages", "empty conversation");
            return null;
        }

        var turns = new List<ChatTurn>();
        var pending = new List<string?>();
        var i = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var field = RecordEnvelope.Index("messages", i++);
            if (message.ValueKind != JsonValueKind.Object)
            {
                context.Error(DiagnosticCodes.WrongType, field, $"a message must be an object, not {RecordContext.Describe(message.ValueKind)}");
                continue;
            }
            var role = context.RequiredString(message, "role", field + ".role");
            if (role is null)
                continue;
            var turn = ReadMessage(context, envelope, message, role.Trim().ToLowerInvariant(), field, pending);
            if (turn is not null)
                turns.Add(turn);
        }
        if (context.HasErrors)
            return null;
        if (!ConversationChecks.EndsWell(context, turns, RecordEnvelope.Index("messages", turns.Count - 1) + ".role"))
            return null;
        return new ParsedRecord(context.Line, turns, envelope.Tools) { Id = envelope.Id, Category = envelope.Category };
    }

    private static ChatTurn? ReadMessage(RecordContext context, RecordEnvelope envelope, JsonElement message, string role, string field, List<string?> pending)
    {
        switch (role)
        {
            case "system":
            case "user":
                var text = ReadContent(context, message, field + ".content", required: true);
                if (text is null)
                    return null;
                if (TextChecks.IsBlank(text))
                {
                    context.Error(DiagnosticCodes.EmptyField, field + ".content", $"empty {role} message");
                    return null;
                }
                return new ChatTurn(role, text.Trim());
            case "assistant":
                var calls = ReadToolCalls(context, envelope, message, field, pending);
                var answer = ReadContent(context, message, field + ".content", required: calls is { Count: 0 });
                if (calls is null || (answer is null && calls.Count == 0))
                    return null;
                if (calls.Count == 0 && TextChecks.IsBlank(answer))
                {
                    context.Error(DiagnosticCodes.EmptyAnswer, field + ".content", "empty answer");
                    return null;
                }
                return new ChatTurn("assistant", (answer ?? "").Trim()) { ToolCalls = calls };
            case "tool":
                var result = ReadContent(context, message, field + ".content", required: true);
                var callId = context.OptionalString(message, "tool_call_id", field + ".tool_call_id");
                if (result is null)
                    return null;
                if (!ConversationChecks.AnswerPendingCall(context, pending, callId, field + (callId is null ? ".role" : ".tool_call_id")))
                    return null;
                return new ChatTurn("tool", result);
            default:
                var hint = role switch
                {
                    "human" => " (that is ShareGPT's name: use 'user')",
                    "gpt" or "bot" or "model" => " (use 'assistant')",
                    "function" => " (the legacy 'function' role: use 'tool' with a tool_call_id)",
                    _ => "",
                };
                context.Error(DiagnosticCodes.UnknownRole, field + ".role", $"unknown role '{role}'{hint}; expected system, user, assistant or tool");
                return null;
        }
    }

    /// <summary>A message's content: a string, or OpenAI's array of text parts. Null on error or when absent and optional.</summary>
    private static string? ReadContent(RecordContext context, JsonElement message, string field, bool required)
    {
        if (!RecordContext.TryGet(message, "content", out var content))
        {
            if (required)
                context.Error(DiagnosticCodes.MissingField, field, "missing");
            return null;
        }
        if (content.ValueKind == JsonValueKind.String)
            return context.CheckText(content.GetString()!, field);
        if (content.ValueKind != JsonValueKind.Array)
        {
            context.Error(DiagnosticCodes.WrongType, field, $"must be a string or an array of text parts, not {RecordContext.Describe(content.ValueKind)}");
            return null;
        }
        var text = new StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partField = RecordEnvelope.Index(field, i++);
            if (!RecordContext.TryGet(part, "type", out var type) || type.ValueKind != JsonValueKind.String || type.GetString() != "text")
            {
                context.Error(DiagnosticCodes.WrongType, partField, "only text parts ({\"type\":\"text\",\"text\":…}) are supported");
                return null;
            }
            var partText = context.RequiredString(part, "text", partField + ".text");
            if (partText is null)
                return null;
            text.Append(partText);
        }
        return text.ToString();
    }

    private static List<ToolCall>? ReadToolCalls(RecordContext context, RecordEnvelope envelope, JsonElement message, string field, List<string?> pending)
    {
        var calls = new List<ToolCall>();
        if (!RecordContext.TryGet(message, "tool_calls", out var toolCalls))
            return calls;
        if (toolCalls.ValueKind != JsonValueKind.Array)
        {
            context.Error(DiagnosticCodes.WrongType, field + ".tool_calls", $"must be an array, not {RecordContext.Describe(toolCalls.ValueKind)}");
            return null;
        }
        var ok = true;
        var j = 0;
        foreach (var call in toolCalls.EnumerateArray())
        {
            var callField = RecordEnvelope.Index(field + ".tool_calls", j++);
            var read = ReadToolCall(context, envelope, call, callField, out var id);
            // A broken call still awaits its result, so the tool message after it is not a second error.
            pending.Add(id);
            if (read is null)
            {
                ok = false;
                continue;
            }
            calls.Add(read);
        }
        return ok ? calls : null;
    }

    private static ToolCall? ReadToolCall(RecordContext context, RecordEnvelope envelope, JsonElement call, string field, out string? id)
    {
        id = null;
        if (call.ValueKind != JsonValueKind.Object)
        {
            context.Error(DiagnosticCodes.WrongType, field, "a tool call must be an object {\"id\",\"type\":\"function\",\"function\":{\"name\",\"arguments\"}}");
            return null;
        }
        id = context.OptionalString(call, "id", field + ".id");
        var type = context.OptionalString(call, "type", field + ".type");
        if (type is not null && type != "function")
        {
            context.Error(DiagnosticCodes.WrongType, field + ".type", $"must be \"function\", not \"{type}\"");
            return null;
        }
        if (!RecordContext.TryGet(call, "function", out var function))
        {
            context.Error(DiagnosticCodes.MissingField, field + ".function", "missing: a tool call needs {\"name\",\"arguments\"}");
            return null;
        }
        if (function.ValueKind != JsonValueKind.Object)
        {
            context.Error(DiagnosticCodes.WrongType, field + ".function", $"must be an object, not {RecordContext.Describe(function.ValueKind)}");
            return null;
        }
        var name = context.RequiredString(function, "name", field + ".function.name");
        if (name is null)
            return null;
        if (!RecordContext.TryGet(function, "arguments", out var arguments))
        {
            context.Error(DiagnosticCodes.MissingField, field + ".function.arguments", "missing (use \"{}\" for a tool without parameters)");
            return null;
        }
        return envelope.ReadCall(context, name.Trim(), arguments, field + ".function.name", field + ".function.arguments");
    }
}
