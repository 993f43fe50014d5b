using System.Text;
using System.Text.Json;

namespace Kefu.Learning.Harvesting;

/// <summary>
/// The question-and-answer texts already in the training data, for de-duplication: every user message with the
/// assistant reply that follows it, from JSONL files with an OpenAI <c>messages</c> array (kefu data build's
/// train.jsonl/eval.jsonl, the loop's own learned.messages.jsonl).
/// </summary>
public static class ExistingTrainingTexts
{
    /// <summary>Texts from <paramref name="paths"/>: JSONL files, or folders whose train.jsonl/eval.jsonl are read; missing paths are skipped.</summary>
    public static List<string> Read(IEnumerable<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var texts = new List<string>();
        foreach (var path in paths)
        {
            var files = Directory.Exists(path)
                ? new[] { "train.jsonl", "eval.jsonl" }.Select(f => Path.Combine(path, f)).Where(File.Exists)
                : File.Exists(path) ? [path] : [];
            foreach (var file in files)
                ReadFile(file, texts);
        }
        return texts;
    }

    private static void ReadFile(string file, List<string> texts)
    {
        var lineNumber = 0;
        foreach (var line in File.ReadLines(file))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var document = JsonDocument.Parse(line);
                if (!document.RootElement.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
                    continue;
                string? question = null;
                foreach (var message in messages.EnumerateArray())
                {
                    var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
                    var content = message.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
                    if (role == "user")
                        question = content;
                    else if (role == "assistant" && question is not null && !string.IsNullOrEmpty(content))
                    {
                        texts.Add(Pair(question, content));
                        question = null;
                    }
                }
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{file}:{lineNumber}: not valid JSON ({e.Message}).", e);
            }
        }
    }

    /// <summary>The text a question-answer pair is compared by.</summary>
    public static string Pair(string question, string answer) => new StringBuilder(question).Append('\n').Append(answer).ToString();
}
