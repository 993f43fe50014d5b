using System.Threading.Channels;

namespace Kefu.Server.Api.Ui;

/// <summary>A customer's open live stream on one conversation: read snapshots from <see cref="Reader"/>; dispose to leave.</summary>
internal sealed class CustomerStreamSubscription(ChannelReader<CustomerSessionSnapshot> reader, Action leave) : IDisposable
{
    private int _left;

    public ChannelReader<CustomerSessionSnapshot> Reader { get; } = reader;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _left, 1) == 0)
            leave();
    }
}
