using Kefu.Data.Records;
using Kefu.Text;

namespace Kefu.Data.Rendering;

/// <summary>
/// Renders records into token ids and loss masks with <see cref="ChatTemplate.Tokenize(Qwen2Tokenizer, IReadOnlyList{ChatTurn}, IReadOnlyList{ToolDefinition}?)"/>,
/// the same template the service uses at inference, so training and serving see the same prompt shape.
/// </summary>
public sealed class ConversationRenderer(Qwen2Tokenizer tokenizer)
{
    public Qwen2Tokenizer Tokenizer { get; } = tokenizer;

    public RenderedSample Render(DataRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tokenized = ChatTemplate.Tokenize(Tokenizer, record.Turns, record.Tools.Count > 0 ? record.Tools : null);
        return new RenderedSample(record, tokenized.InputIds, tokenized.LossMask);
    }
}
