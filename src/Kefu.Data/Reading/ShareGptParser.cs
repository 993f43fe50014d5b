using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// ShareGPT records (LLaMA-Factory's variant): <c>conversations</c> of <c>{from, value}</c> with from = human, gpt,
/// system, function_call (value: JSON <c>{"name","arguments"}</c> or a list of them) or observation; optional
/// record-level <c>system</c> and <c>tools</c>. A function_call after a gpt turn joins it, as Qwen2.5 renders text and
/// tool calls in one assistant message.
/// </summary>
internal static class ShareGptParser
{
    public static ParsedRecord? Parse(RecordContext context)
    {
        var envelope = RecordEnvelope.Read(context);
        var system = context.OptionalString(context.Root, "system", "system");
        if (!RecordContext.TryGet(context.Root, "conversations", out var conversations))
        {
            context.Error(DiagnosticCodes.MissingField, "conversations", "missing: a ShareGPT record needs a 'conversations' array");
            return null;
        }
        if (conversations.ValueKind != JsonValueKind.Array)
        {
            context.Error(DiagnosticCodes.WrongType, "conversations", $"must be an array, not {RecordContext.Describe(conversations.ValueKind)}");
            return null;
        }
        if (conversations.GetArrayLength() == 0)
        {
            context.Error(DiagnosticCodes.EmptyField, "conversations", "empty conversation");
            return null;
        }

        var turns = new List<ChatTurn>();
        if (!string.IsNullOrWhiteSpace(system))
            turns.Add(new ChatTurn("system", system.Trim()));
        var pending = new List<string?>();
        var i = 0;
        var lastField = "conversations";
        foreach (var entry in conversations.EnumerateArray())
        {
            var field = RecordEnvelope.Index("conversations", i++);
            lastField = field + ".from";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                context.Error(DiagnosticCodes.WrongType, field, $"a turn must be an object {{\"from\",\"value\"}}, not {RecordContext.Describe(entry.ValueKind)}");
                continue;
            }
            var from = context.RequiredString(entry, "from", field + ".from");
            if (from is null)
                continue;
            ReadTurn(context, envelope, entry, from.Trim().ToLowerInvariant(), field, turns, pending);
        }
        if (context.HasErrors || !ConversationChecks.EndsWell(context, turns, lastField))
            return null;
        return new ParsedRecord(context.Line, turns, envelope.Tools) { Id = envelope.Id, Category = envelope.Category };
    }

    private static void ReadTurn(RecordContext context, RecordEnvelope envelope, JsonElement entry, string from, string field, List<ChatTurn> turns, List<string?> pending)
    {
        var role = from switch
        {
            "human" or "user" => "user",
            "gpt" or "assistant" => "assistant",
            "system" => "system",
            "function_call" => "function_call",
            "observation" or "tool" => "tool",
            _ => null,
        };
        if (role is null)
        {
            context.Error(DiagnosticCodes.UnknownRole, field + ".from", $"unknown speaker '{from}'; expected human, gpt, system, function_call or observation");
            return;
        }
        if (role == "function_call")
        {
            var calls = ReadCalls(context, envelope, entry, field);
            if (calls is null)
            {
                pending.Add(null); // the observation after a broken call is not a second error
                return;
            }
            pending.AddRange(calls.Select(_ => (string?)null));
            if (turns.Count > 0 && turns[^1].Role == "assistant")
                turns[^1] = turns[^1] with { ToolCalls = [.. turns[^1].ToolCalls, .. calls] };
            else
                turns.Add(new ChatTurn("assistant", "") { ToolCalls = calls });
            return;
        }
        var value = context.RequiredString(entry, "value", field + ".value");
        if (value is null)
            return;
        if (role == "tool")
        {
            if (ConversationChecks.AnswerPendingCall(context, pending, null, field + ".from"))
                turns.Add(new ChatTurn("tool", value));
            return;
        }
        if (TextChecks.IsBlank(value))
        {
            if (role == "assistant")
                context.Error(DiagnosticCodes.EmptyAnswer, field + ".value", "empty answer");
            else
                context.Error(DiagnosticCodes.EmptyField, field + ".value", $"empty {from} turn");
            return;
        }
        turns.Add(new ChatTurn(role, value.Trim()));
    }

    private static List<ToolCall>? ReadCalls(RecordContext context, RecordEnvelope envelope, JsonElement entry, string field)
    {
        var valueField = field + ".value";
        if (!RecordContext.TryGet(entry, "value", out var value))
        {
            context.Error(DiagnosticCodes.MissingField, valueField, "missing: a function_call needs {\"name\",\"arguments\"}");
            return null;
        }
        JsonElement parsed;
        if (value.ValueKind == JsonValueKind.String)
        {
            try
            {
                using var document = JsonDocument.Parse(value.GetString()!);
                parsed = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                context.Error(DiagnosticCodes.InvalidToolArguments, valueField, $"function_call is not valid JSON: {e.Message.Split(" LineNumber:")[0]}");
                return null;
            }
        }
        else
        {
            parsed = value;
        }
        var items = parsed.ValueKind == JsonValueKind.Array ? [.. parsed.EnumerateArray()] : new List<JsonElement> { parsed };
        var calls = new List<ToolCall>();
        foreach (var item in items)
        {
            if (item.ValueKind != JsonValueKind.Object || !RecordContext.TryGet(item, "name", out var name) || name.ValueKind != JsonValueKind.String)
            {
                context.Error(DiagnosticCodes.InvalidToolArguments, valueField, "function_call must be {\"name\": …, \"arguments\": {…}}");
                return null;
            }
            if (!RecordContext.TryGet(item, "arguments", out var arguments))
            {
                context.Error(DiagnosticCodes.InvalidToolArguments, valueField, $"function_call '{name.GetString()}' has no 'arguments' (use {{}} for none)");
                return null;
            }
            var call = envelope.ReadCall(context, name.GetString()!.Trim(), arguments, valueField, valueField);
            if (call is null)
                return null;
            calls.Add(call);
        }
        return calls;
    }
}
