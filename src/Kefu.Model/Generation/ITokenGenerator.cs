namespace Kefu.Model.Generation;

/// <summary>
/// Something that continues a prompt token by token: the Qwen2 model (<see cref="Qwen2Generator"/>), or a scripted
/// fake in tests of the layers above it.
/// </summary>
public interface ITokenGenerator
{
    /// <summary>Streams the continuation of <paramref name="promptIds"/>; cancellation throws <see cref="OperationCanceledException"/>.</summary>
    IAsyncEnumerable<GeneratedToken> GenerateAsync(IReadOnlyList<int> promptIds, GenerationOptions options, CancellationToken cancellationToken = default);
}
