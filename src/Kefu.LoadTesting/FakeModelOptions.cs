namespace Kefu.LoadTesting;

/// <summary>The latency profile of a <see cref="FakeModelServer"/>: what a GPU inference server feels like to a client.</summary>
public sealed record FakeModelOptions
{
    /// <summary>The model name it serves (<c>GET /v1/models</c>).</summary>
    public string Model { get; init; } = "fake-qwen2";

    /// <summary>Time to first token: prompt processing before anything streams.</summary>
    public TimeSpan TimeToFirstToken { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Delay between tokens while decoding.</summary>
    public TimeSpan TokenDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Tokens in each reply (one or two Chinese characters per token, as Qwen2's tokenizer has it).</summary>
    public int ReplyTokens { get; init; } = 40;
}
