using Kefu.Data.Diagnostics;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>Checks on a whole conversation that the chat formats share.</summary>
internal static class ConversationChecks
{
    /// <summary>
    /// A training conversation needs a user turn and must end with an assistant turn (an answer or a tool call):
    /// otherwise nothing in it is learned after the last thing the customer said.
    /// </summary>
    public static bool EndsWell(RecordContext context, IReadOnlyList<ChatTurn> turns, string lastField)
    {
        if (!turns.Any(t => t.Role == "user"))
        {
            context.Error(DiagnosticCodes.EmptyField, lastField, "the conversation has no user turn");
            return false;
        }
        if (turns[^1].Role != "assistant")
        {
            context.Error(DiagnosticCodes.NotEndingWithAssistant, lastField,
                $"the conversation ends with a '{turns[^1].Role}' turn; it must end with an assistant answer");
            return false;
        }
        return true;
    }

    /// <summary>
    /// Matches a tool result to a pending call: by id when the result names one, otherwise the oldest pending call.
    /// </summary>
    public static bool AnswerPendingCall(RecordContext context, List<string?> pending, string? callId, string field)
    {
        if (pending.Count == 0)
        {
            context.Error(DiagnosticCodes.UnmatchedToolResult, field, "a tool result without a preceding assistant tool call");
            return false;
        }
        if (callId is null)
        {
            pending.RemoveAt(0);
            return true;
        }
        var index = pending.IndexOf(callId);
        if (index < 0)
        {
            var known = pending.Where(p => p is not null).ToList();
            var listed = known.Count == 0 ? "the pending calls have no ids" : "pending: " + string.Join(", ", known);
            context.Error(DiagnosticCodes.UnmatchedToolResult, field, $"tool_call_id '{callId}' answers no pending tool call ({listed})");
            return false;
        }
        pending.RemoveAt(index);
        return true;
    }
}
