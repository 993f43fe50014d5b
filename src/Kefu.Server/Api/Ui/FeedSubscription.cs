using System.Threading.Channels;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// One open live feed (an agent console's queue, a customer's conversation): read from <see cref="Reader"/>;
/// dispose to leave, which the watcher uses to stop watching once nobody is left. Leaving twice is harmless.
/// </summary>
internal sealed class FeedSubscription<T>(ChannelReader<T> reader, Action leave) : IDisposable
{
    private int _left;

    public ChannelReader<T> Reader { get; } = reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
            leave();
    }
}
