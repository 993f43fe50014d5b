using System.Text.Json;
using Kefu.Data.Diagnostics;
using Kefu.Text;

namespace Kefu.Data.Reading;

/// <summary>
/// Alpaca records: <c>instruction</c>, <c>input</c>, <c>output</c>, optional <c>system</c> and
/// <c>history</c> (<c>[[question, answer], …]</c>). An <c>input</c> that is a speaker-labelled transcript becomes real
/// turns (see <see cref="TranscriptParser"/>): when it ends with the customer, the <c>instruction</c> is a task
/// description such as 处理用户咨询 and is left out, since the service never sends one; when it ends with the agent,
/// the <c>instruction</c> is the customer's next question.
/// </summary>
internal static class AlpacaParser
{
    public static ParsedRecord? Parse(RecordContext context)
    {
        var envelope = RecordEnvelope.Read(context);
        var root = context.Root;
        var instruction = context.RequiredString(root, "instruction", "instruction");
        var input = context.OptionalString(root, "input", "input") ?? "";
        var output = context.RequiredString(root, "output", "output");
        var system = context.OptionalString(root, "system", "system");
        var history = ReadHistory(context);
        if (output is not null && TextChecks.IsBlank(output))
            context.Error(DiagnosticCodes.EmptyAnswer, "output", "empty answer");

        var turns = new List<ChatTurn>();
        if (!string.IsNullOrWhiteSpace(system))
            turns.Add(new ChatTurn("system", system.Trim()));
        turns.AddRange(history);
        if (instruction is not null)
            AddQuestion(context, turns, instruction, input);
        if (context.HasErrors)
            return null;
        turns.Add(new ChatTurn("assistant", output!.Trim()));
        return new ParsedRecord(context.Line, turns, envelope.Tools) { Id = envelope.Id, Category = envelope.Category };
    }

    private static void AddQuestion(RecordContext context, List<ChatTurn> turns, string instruction, string input)
    {
        if (TranscriptParser.TryParse(input, out var transcript))
        {
            foreach (var turn in transcript.Where(t => TextChecks.IsBlank(t.Content)))
            {
                if (turn.Role == "assistant")
                    context.Error(DiagnosticCodes.EmptyAnswer, "input", "empty agent (客服) line in the transcript");
                else
                    context.Error(DiagnosticCodes.EmptyField, "input", "empty customer (用户) line in the transcript");
                return;
            }
            turns.AddRange(transcript);
            if (transcript[^1].Role == "user")
                return;
            if (TextChecks.IsBlank(instruction))
            {
                context.Error(DiagnosticCodes.EmptyField, "instruction",
                    "the transcript in 'input' ends with the agent, so 'instruction' must hold the customer's next question");
                return;
            }
            turns.Add(new ChatTurn("user", instruction.Trim()));
            return;
        }
        var question = TextChecks.IsBlank(input) ? instruction.Trim()
            : TextChecks.IsBlank(instruction) ? input.Trim()
            : instruction.Trim() + "\n" + input.Trim();
        if (question.Length == 0)
        {
            context.Error(DiagnosticCodes.EmptyField, "instruction", "empty question (instruction and input are both empty)");
            return;
        }
        turns.Add(new ChatTurn("user", question));
    }

    private static List<ChatTurn> ReadHistory(RecordContext context)
    {
        var turns = new List<ChatTurn>();
        if (!RecordContext.TryGet(context.Root, "history", out var history))
            return turns;
        if (history.ValueKind != JsonValueKind.Array)
        {
            context.Error(DiagnosticCodes.WrongType, "history", $"must be an array of [question, answer] pairs, not {RecordContext.Describe(history.ValueKind)}");
            return turns;
        }
        var i = 0;
        foreach (var pair in history.EnumerateArray())
        {
            var field = RecordEnvelope.Index("history", i++);
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2
                || pair[0].ValueKind != JsonValueKind.String || pair[1].ValueKind != JsonValueKind.String)
            {
                context.Error(DiagnosticCodes.WrongType, field, "must be a [question, answer] pair of strings");
                continue;
            }
            var question = context.CheckText(pair[0].GetString()!, field + "[0]");
            var answer = context.CheckText(pair[1].GetString()!, field + "[1]");
            if (question is null || answer is null)
                continue;
            if (TextChecks.IsBlank(question))
                context.Error(DiagnosticCodes.EmptyField, field + "[0]", "empty question in history");
            else if (TextChecks.IsBlank(answer))
                context.Error(DiagnosticCodes.EmptyAnswer, field + "[1]", "empty answer in history");
            else
            {
                turns.Add(new ChatTurn("user", question.Trim()));
                turns.Add(new ChatTurn("assistant", answer.Trim()));
            }
        }
        return turns;
    }
}
