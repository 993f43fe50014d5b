using System.Text;
using System.Text.Json;
using Kefu.Testing;

namespace Kefu.Safety.Tests;

/// <summary>
/// Ordinary customer messages and replies from the demo shop (samples/ecommerce, part of the repository): the
/// false-positive yardstick for every guard.
/// </summary>
internal static class DemoShopData
{
    private static readonly Lazy<IReadOnlyList<DemoMessage>> CustomerMessagesLazy = new(LoadCustomerMessages);
    private static readonly Lazy<IReadOnlyList<DemoReply>> RepliesLazy = new(LoadReplies);
    private static readonly Lazy<IReadOnlyList<ExceptionCase>> ExceptionsLazy = new(LoadExceptions);

    public static string SampleDirectory => Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

    public static string DemoLexiconManifest => Path.Combine(SampleDirectory, "safety", "lexicon.json");

    /// <summary>User turns of the dialogues (both formats) and the FAQ questions.</summary>
    public static IReadOnlyList<DemoMessage> CustomerMessages => CustomerMessagesLazy.Value;

    /// <summary>Assistant replies of the dialogues with the tool results of their turn, and the FAQ answers.</summary>
    public static IReadOnlyList<DemoReply> Replies => RepliesLazy.Value;

    /// <summary>The edge cases of data/exceptions.alpaca.jsonl.</summary>
    public static IReadOnlyList<ExceptionCase> Exceptions => ExceptionsLazy.Value;

    private static List<DemoMessage> LoadCustomerMessages()
    {
        var messages = new List<DemoMessage>();
        foreach (var (id, turns) in MessagesDialogues())
        {
            foreach (var turn in turns.Where(t => t.Role == "user"))
                messages.Add(new DemoMessage(id, turn.Content));
        }
        using (var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SampleDirectory, "data", "dialogues.sharegpt.json"))))
        {
            foreach (var conversation in document.RootElement.EnumerateArray())
            {
                var id = conversation.GetProperty("id").GetString()!;
                foreach (var turn in conversation.GetProperty("conversations").EnumerateArray())
                {
                    if (turn.GetProperty("from").GetString() == "human")
                        messages.Add(new DemoMessage(id, turn.GetProperty("value").GetString()!));
                }
            }
        }
        messages.AddRange(FaqRows().Select(r => new DemoMessage(r[0], r[1])));
        return messages;
    }

    private static List<DemoReply> LoadReplies()
    {
        var replies = new List<DemoReply>();
        foreach (var (id, turns) in MessagesDialogues())
        {
            var toolResults = new List<string>();
            string? customer = null;
            foreach (var turn in turns)
            {
                switch (turn.Role)
                {
                    case "user":
                        customer = turn.Content;
                        toolResults = [];
                        break;
                    case "tool":
                        toolResults.Add(turn.Content);
                        break;
                    case "assistant" when turn.Content.Length > 0:
                        replies.Add(new DemoReply(id, turn.Content, customer, [.. toolResults]));
                        break;
                }
            }
        }
        replies.AddRange(FaqRows().Select(r => new DemoReply(r[0], r[2], r[1], [])));
        return replies;
    }

    private static List<ExceptionCase> LoadExceptions() =>
        [.. File.ReadLines(Path.Combine(SampleDirectory, "data", "exceptions.alpaca.jsonl"))
            .Where(l => l.Length > 0)
            .Select(l =>
            {
                using var document = JsonDocument.Parse(l);
                var root = document.RootElement;
                return new ExceptionCase(root.GetProperty("id").GetString()!, root.GetProperty("instruction").GetString()!, root.GetProperty("output").GetString()!);
            })];

    private static IEnumerable<(string Id, List<(string Role, string Content)> Turns)> MessagesDialogues()
    {
        foreach (var line in File.ReadLines(Path.Combine(SampleDirectory, "data", "dialogues.messages.jsonl")).Where(l => l.Length > 0))
        {
            using var document = JsonDocument.Parse(line);
            var turns = document.RootElement.GetProperty("messages").EnumerateArray()
                .Select(m => (m.GetProperty("role").GetString()!,
                    m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : ""))
                .ToList();
            yield return (document.RootElement.GetProperty("id").GetString()!, turns);
        }
    }

    /// <summary>faq.csv rows without the header: RFC 4180 (quoted fields may hold commas, quotes and newlines).</summary>
    private static IEnumerable<string[]> FaqRows()
    {
        var text = File.ReadAllText(Path.Combine(SampleDirectory, "data", "faq.csv"));
        var rows = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\n':
                    fields.Add(field.ToString().TrimEnd('\r'));
                    field.Clear();
                    rows.Add([.. fields]);
                    fields.Clear();
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            rows.Add([.. fields]);
        }
        return rows.Skip(1).Where(r => r.Length >= 3);
    }
}

internal sealed record DemoMessage(string Source, string Text);

internal sealed record DemoReply(string Source, string Text, string? CustomerMessage, IReadOnlyList<string> ToolResults);

internal sealed record ExceptionCase(string Id, string Instruction, string Output);
