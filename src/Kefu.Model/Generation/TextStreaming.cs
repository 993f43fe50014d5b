using System.Runtime.CompilerServices;
using Kefu.Text;

namespace Kefu.Model.Generation;

/// <summary>Streams generated text instead of token ids, decoding incrementally so no character is ever split.</summary>
public static class TextStreaming
{
    /// <summary>
    /// Text chunks of the continuation of <paramref name="promptIds"/>. Stop tokens end the stream without being
    /// decoded; special tokens the model emits otherwise are kept as text (Qwen2.5's &lt;tool_call&gt; is one).
    /// </summary>
    public static async IAsyncEnumerable<TextChunk> GenerateTextAsync(this ITokenGenerator generator, Qwen2Tokenizer tokenizer,
        IReadOnlyList<int> promptIds, GenerationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var decoder = tokenizer.CreateIncrementalDecoder();
        var pending = new List<int>();
        await foreach (var token in generator.GenerateAsync(promptIds, options, cancellationToken).ConfigureAwait(false))
        {
            var isStop = token.FinishReason == GenerationFinishReason.Stop;
            var text = isStop ? "" : decoder.Append(token.TokenId);
            pending.Add(token.TokenId);
            if (token.FinishReason is { } finish)
            {
                yield return new TextChunk(text + decoder.Flush(), pending, finish);
                yield break;
            }
            if (text.Length > 0)
            {
                yield return new TextChunk(text, pending);
                pending = [];
            }
        }
        // A generator that ends without a finish reason (a fake, or a cut stream): flush what is held back.
        var rest = decoder.Flush();
        if (rest.Length > 0 || pending.Count > 0)
            yield return new TextChunk(rest, pending);
    }
}
