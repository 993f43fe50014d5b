using System.Threading.Channels;

namespace Kefu.Server.Api.Ui;

/// <summary>An open queue feed: read snapshots from <see cref="Reader"/>; dispose to leave.</summary>
internal sealed class QueueSubscription(ChannelReader<QueueSnapshot> reader, Action leave) : IDisposable
{
    private int _left;

    public ChannelReader<QueueSnapshot> Reader { get; } = reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
            leave();
    }
}
