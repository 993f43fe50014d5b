using System.Text;
using System.Text.Json;
using Kefu.Data.Categories;
using Kefu.Data.Reading;
using Kefu.Data.Rendering;
using Kefu.Text;

namespace Kefu.Data.Building;

/// <summary>
/// Writes <c>train.jsonl</c> / <c>eval.jsonl</c>. FORMAT (version <c>kefu-sft/1</c>, named in dataset.json): UTF-8,
/// one JSON object per line, no BOM:
/// <code>
/// {"id": "faq-001",                       // the record's id, or "path:line"
///  "category": "knowledge",               // knowledge | dialogue | exception
///  "source": "data/faq.csv:2",            // file (relative to the dataset folder) and line
///  "messages": [{"role": "system", "content": "…"},
///               {"role": "user", "content": "…"},
///               {"role": "assistant", "content": "…", "tool_calls": [{"type": "function",
///                    "function": {"name": "query_order", "arguments": "{\"order_id\":\"ORD12345\"}"}}]},
///               {"role": "tool", "content": "…"}],      // OpenAI chat form, as rendered (PII masked if asked)
///  "tools": [{"type": "function", "function": {"name", "description", "parameters"}}],  // only when present
///  "input_ids": [151644, 8948, …],        // the whole conversation through the chat template
///  "loss_mask": "000…0111…1"}             // one '0'/'1' character per input id: '1' = assistant token
/// </code>
/// <c>loss_mask</c> is a string because it is compact (one byte per token) and trivially checked
/// (<c>loss_mask.Length == input_ids.Length</c>); '1' marks the tokens the loss is computed on: each assistant
/// turn's content, tool calls and closing <c>&lt;|im_end|&gt;</c>. The trainer predicts token i+1 from tokens ≤ i, so
/// it uses <c>loss_mask[i + 1]</c> as the weight of position i. Samples never exceed the build's cutoff (longer ones are
/// dropped, not truncated), so the trainer need not truncate.
/// </summary>
internal static class TrainingSetWriter
{
    public static void Write(string path, IEnumerable<RenderedSample> samples)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        foreach (var sample in samples)
        {
            using (var writer = new Utf8JsonWriter(stream, JsonText.WriterOptions))
                WriteRecord(writer, sample);
            stream.WriteByte((byte)'\n');
        }
        stream.Flush(flushToDisk: true);
    }

    private static void WriteRecord(Utf8JsonWriter writer, RenderedSample sample)
    {
        var record = sample.Record;
        writer.WriteStartObject();
        writer.WriteString("id", record.Id);
        writer.WriteString("category", record.Category.ToName());
        writer.WriteString("source", record.Source);
        writer.WriteStartArray("messages");
        foreach (var turn in record.Turns)
            WriteMessage(writer, turn);
        writer.WriteEndArray();
        if (record.Tools.Count > 0)
        {
            writer.WriteStartArray("tools");
            foreach (var tool in record.Tools)
            {
                WriteFunction(writer, tool.Name, () =>
                {
                    writer.WriteString("description", tool.Description);
                    writer.WritePropertyName("parameters");
                    writer.WriteRawValue(tool.ParametersJsonSchema);
                });
            }
            writer.WriteEndArray();
        }
        writer.WriteStartArray("input_ids");
        foreach (var id in sample.InputIds)
            writer.WriteNumberValue(id);
        writer.WriteEndArray();
        writer.WriteString("loss_mask", MaskString(sample.LossMask));
        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, ChatTurn turn)
    {
        writer.WriteStartObject();
        writer.WriteString("role", turn.Role);
        writer.WriteString("content", turn.Content);
        if (turn.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in turn.ToolCalls)
                WriteFunction(writer, call.Name, () => writer.WriteString("arguments", call.ArgumentsJson));
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    /// <summary>
    /// The OpenAI function envelope that tools and tool calls share: {"type": "function", "function": {"name": …, …}},
    /// with <paramref name="writeRest"/> writing the fields after the name.
    /// </summary>
    private static void WriteFunction(Utf8JsonWriter writer, string name, Action writeRest)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", name);
        writeRest();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    internal static string MaskString(bool[] mask)
    {
        var builder = new StringBuilder(mask.Length);
        foreach (var m in mask)
            builder.Append(m ? '1' : '0');
        return builder.ToString();
    }
}
