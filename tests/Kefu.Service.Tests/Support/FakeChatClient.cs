using Microsoft.Extensions.AI;

namespace Kefu.Service.Tests.Support;

/// <summary>A model whose replies the test scripts; it records every request it was sent.</summary>
internal sealed class FakeChatClient(Func<IReadOnlyList<ChatMessage>, ChatResponse> reply) : IChatClient
{
    public List<List<ChatMessage>> Requests { get; } = [];

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = messages.ToList();
        Requests.Add(request);
        return Task.FromResult(reply(request));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The service asks for whole responses.");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}
