using System.Runtime.CompilerServices;
using Kefu.Model.Generation;
using Kefu.Text;
using Microsoft.Extensions.AI;

namespace Kefu.Model.Chat;

/// <summary>
/// Microsoft.Extensions.AI's <see cref="IChatClient"/> over an in-process Qwen2: messages go through the Qwen chat
/// template (tools from ChatOptions.Tools rendered Hermes-style), ChatOptions become sampling options, text streams
/// as it is decoded, and <c>&lt;tool_call&gt;</c> blocks in the output come back as <see cref="FunctionCallContent"/>,
/// so FunctionInvokingChatClient, OpenTelemetry and the rest of the pipeline work on it unchanged.
/// One generation runs at a time per client (the model is one CPU- or GPU-bound resource); others wait their turn.
/// </summary>
public sealed class Qwen2ChatClient : IChatClient
{
    /// <summary>Key of the final update's AdditionalProperties entry listing tool-call parsing problems, when there were any.</summary>
    public const string ToolCallProblemsKey = "kefu.tool_call_problems";

    private readonly ITokenGenerator _generator;
    private readonly Qwen2Tokenizer _tokenizer;
    private readonly Qwen2ChatClientOptions _options;
    private readonly SemaphoreSlim _turn = new(1, 1);

    public Qwen2ChatClient(ITokenGenerator generator, Qwen2Tokenizer tokenizer, Qwen2ChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _generator = generator;
        _tokenizer = tokenizer;
        _options = options ?? new Qwen2ChatClientOptions();
    }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var turns = ChatMessageMapper.ToTurns(messages, options?.Instructions);
        var tools = ChatMessageMapper.ToTools(options);
        var generation = ChatMessageMapper.ToGenerationOptions(options, _options.Defaults);
        var prompt = _options.TemplateFlavor is { } flavor
            ? ChatTemplate.TokenizePrompt(_tokenizer, turns, tools, flavor)
            : ChatTemplate.TokenizePrompt(_tokenizer, turns, tools);

        var responseId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        var created = _options.TimeProvider.GetUtcNow();
        ChatResponseUpdate Update(IList<AIContent> contents, ChatFinishReason? finish = null) => new(ChatRole.Assistant, contents)
        {
            ResponseId = responseId,
            MessageId = responseId,
            CreatedAt = created,
            ModelId = _options.ModelId,
            FinishReason = finish,
        };

        var filter = new ReplyFilter(options?.StopSequences);
        var outputTokens = 0;
        ChatFinishReason? finishReason = null;
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await foreach (var chunk in _generator.GenerateTextAsync(_tokenizer, prompt, generation, cancellationToken).ConfigureAwait(false))
            {
                outputTokens += chunk.TokenIds.Count;
                var visible = filter.Push(chunk.Text);
                if (visible.Length > 0)
                    yield return Update([new TextContent(visible)]);
                if (filter.Stopped)
                {
                    finishReason = ChatFinishReason.Stop;
                    break;
                }
                if (chunk.FinishReason is { } finish)
                    finishReason = finish == GenerationFinishReason.Stop ? ChatFinishReason.Stop : ChatFinishReason.Length;
            }
        }
        finally
        {
            _turn.Release();
        }

        var (rest, calls, problems) = filter.Complete();
        var final = new List<AIContent>();
        if (rest.Length > 0)
            final.Add(new TextContent(rest));
        final.AddRange(calls.Select(ChatMessageMapper.ToFunctionCall));
        if (calls.Count > 0)
            finishReason = ChatFinishReason.ToolCalls;
        final.Add(new UsageContent(new UsageDetails
        {
            InputTokenCount = prompt.Length,
            OutputTokenCount = outputTokens,
            TotalTokenCount = prompt.Length + outputTokens,
        }));
        var last = Update(final, finishReason ?? ChatFinishReason.Stop);
        // What the tool-call parser had to tolerate (unclosed tags, invalid JSON): for logs and anomaly checks.
        if (problems.Count > 0)
            last.AdditionalProperties = new AdditionalPropertiesDictionary { [ToolCallProblemsKey] = problems };
        yield return last;
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(ChatClientMetadata))
            return new ChatClientMetadata("kefu", providerUri: null, _options.ModelId);
        if (serviceType == typeof(Qwen2Tokenizer))
            return _tokenizer;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() => _turn.Dispose();
}
