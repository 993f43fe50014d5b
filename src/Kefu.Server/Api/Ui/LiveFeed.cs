using System.Net.ServerSentEvents;
using System.Threading.Channels;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The wait at the heart of every SSE stream here (the agent queue, a customer's conversation): the next item, or —
/// when nothing happened for a heartbeat — a ping, because proxies and browsers drop a connection that stays silent.
/// </summary>
internal static class LiveFeed
{
    /// <summary>What ended a <see cref="WaitAsync{T}"/>.</summary>
    public enum Wake
    {
        /// <summary>An item is ready to read.</summary>
        Item,

        /// <summary>A heartbeat passed without one: send <see cref="Ping"/>.</summary>
        Quiet,

        /// <summary>The feed is closed, the client left or the server is stopping: end the stream.</summary>
        Ended,
    }

    public static async Task<Wake> WaitAsync<T>(ChannelReader<T> reader, TimeSpan heartbeat, CancellationToken cancellationToken)
    {
        using var beat = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        beat.CancelAfter(heartbeat);
        try
        {
            return await reader.WaitToReadAsync(beat.Token).ConfigureAwait(false) ? Wake.Item : Wake.Ended;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Wake.Quiet;
        }
        catch (OperationCanceledException)
        {
            return Wake.Ended;
        }
    }

    public static SseItem<object> Ping(TimeProvider time) => new(new { at = time.GetUtcNow() }, "ping");
}
