using System.Threading.Channels;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// Follows the conversations customers have open live streams on. As <see cref="QueueWatcher"/> does for the agent
/// queue, it re-reads each followed conversation from the session store (so an agent's reply on another replica
/// shows), and a change made here <see cref="Nudge"/>s it so it shows at once — as does another replica's, heard
/// through the store's <see cref="ISessionChangeFeed"/> (PostgreSQL LISTEN/NOTIFY) where it has one. A conversation is read by one loop
/// however many tabs follow it, and only while someone does: the loop and its state go with the last stream. The
/// streams are capped per client address and in all, so nothing here grows with the conversations ever seen.
/// </summary>
internal sealed class CustomerSessionWatcher(
    ISessionStore store, KefuServerOptions options, TimeProvider time, ILogger<CustomerSessionWatcher> logger, ISessionChangeFeed? changes = null)
    : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Feed> _feeds = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _streamsByAddress = new(StringComparer.Ordinal);
    private int _streams;
    private bool _disposed;
    private IDisposable? _changes;

    /// <summary>Open streams in all (for tests and diagnostics).</summary>
    public int Streams
    {
        get
        {
            lock (_gate)
                return _streams;
        }
    }

    /// <summary>Conversations being read (for tests and diagnostics).</summary>
    public int FollowedSessions
    {
        get
        {
            lock (_gate)
                return _feeds.Count;
        }
    }

    /// <summary>
    /// Follows <paramref name="sessionId"/> for a stream from <paramref name="address"/>: the latest snapshot first
    /// (when known), then one per change, only the newest kept for a slow reader. Null, with the reason in
    /// <paramref name="refusal"/>, when the address or the server already holds as many streams as allowed.
    /// </summary>
    public FeedSubscription<CustomerSessionSnapshot>? TrySubscribe(string sessionId, string address, out string? refusal)
    {
        var channel = Channel.CreateBounded<CustomerSessionSnapshot>(
            new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _streamsByAddress.TryGetValue(address, out var fromAddress);
            refusal = _streams >= options.MaxCustomerStreams
                ? $"The server already holds {options.MaxCustomerStreams} live customer streams; poll the conversation instead."
                : fromAddress >= options.CustomerStreamsPerAddress
                    ? $"This address already holds {options.CustomerStreamsPerAddress} live customer streams; close one or poll the conversation."
                    : null;
            if (refusal is not null)
                return null;
            _streams++;
            _streamsByAddress[address] = fromAddress + 1;
            if (!_feeds.TryGetValue(sessionId, out var feed))
            {
                // Other replicas' writes (PostgreSQL NOTIFY) re-read at once while anything is followed.
                _changes ??= changes?.Subscribe(OnSessionChanged);
                feed = new Feed(sessionId);
                _feeds[sessionId] = feed;
                // On the pool: the first read must not run under the lock.
                _ = Task.Run(() => PollAsync(feed, feed.Stop.Token));
            }
            feed.Subscribers.Add(channel);
            if (feed.Latest is not null)
                channel.Writer.TryWrite(feed.Latest);
        }
        return new FeedSubscription<CustomerSessionSnapshot>(channel.Reader, () => Leave(sessionId, address, channel));
    }

    private void Leave(string sessionId, string address, Channel<CustomerSessionSnapshot> channel)
    {
        lock (_gate)
        {
            _streams--;
            if (--_streamsByAddress[address] == 0)
                _streamsByAddress.Remove(address);
            if (_feeds.TryGetValue(sessionId, out var feed) && feed.Subscribers.Remove(channel) && feed.Subscribers.Count == 0)
            {
                _feeds.Remove(sessionId);
                feed.Close();
                if (_feeds.Count == 0)
                {
                    _changes?.Dispose();
                    _changes = null;
                }
            }
        }
    }

    /// <summary>
    /// A session changed somewhere (null: maybe any did). Its followers re-read it, and so do those of every waiting
    /// conversation, because a claim or hand-off elsewhere moves their place in line.
    /// </summary>
    private void OnSessionChanged(string? sessionId)
    {
        lock (_gate)
        {
            foreach (var feed in _feeds.Values)
            {
                if (sessionId is null || feed.SessionId == sessionId || feed.Latest?.Session?.State == SessionState.WaitingForHuman)
                    feed.Nudge();
            }
        }
    }

    /// <summary>Re-read the conversation now, if anyone follows it (a turn, a claim, a reply just happened here).</summary>
    public void Nudge(string sessionId)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(sessionId, out var feed))
                feed.Nudge();
        }
    }

    /// <summary>An endpoint filter for the agent actions on <c>/agent/sessions/{sessionId}/…</c>: the customer sees a claim or reply at once.</summary>
    public static async ValueTask<object?> NudgeAfterWrites(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context).ConfigureAwait(false);
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && http.GetRouteValue("sessionId") is string sessionId)
            http.RequestServices.GetRequiredService<CustomerSessionWatcher>().Nudge(sessionId);
        return result;
    }

    private async Task PollAsync(Feed feed, CancellationToken cancellationToken)
    {
        using (feed)
            await PollLoopAsync(feed, cancellationToken).ConfigureAwait(false);
    }

    private async Task PollLoopAsync(Feed feed, CancellationToken cancellationToken)
    {
        string? previous = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var session = await store.FindAsync(feed.SessionId, cancellationToken).ConfigureAwait(false);
                // queued_at outlives the claim, so only a waiting conversation has a place in line.
                var position = session is { State: SessionState.WaitingForHuman }
                    ? await store.QueuePositionAsync(session, cancellationToken).ConfigureAwait(false)
                    : 0;
                var snapshot = new CustomerSessionSnapshot(session, position);
                var signature = snapshot.Signature();
                if (signature != previous)
                {
                    previous = signature;
                    lock (_gate)
                    {
                        feed.Latest = snapshot;
                        foreach (var subscriber in feed.Subscribers)
                            subscriber.Writer.TryWrite(snapshot);
                    }
                }
                await feed.WaitForNudgeAsync(options.CustomerStreamPollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A store hiccup must not end the stream: log it and try again on the next tick.
                logger.LogWarning(e, "Reading a followed conversation failed; retrying");
                await Task.Delay(options.CustomerStreamPollInterval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _changes?.Dispose();
            _changes = null;
            foreach (var feed in _feeds.Values)
                feed.Close();
            _feeds.Clear();
        }
    }

    /// <summary>One followed conversation: its readers, its loop and what the loop last read.</summary>
    private sealed class Feed(string sessionId) : IDisposable
    {
        private readonly SemaphoreSlim _nudge = new(0, 1);

        public string SessionId { get; } = sessionId;

        public CancellationTokenSource Stop { get; } = new();

        // Guarded by the watcher's _gate.
        public List<Channel<CustomerSessionSnapshot>> Subscribers { get; } = [];

        public CustomerSessionSnapshot? Latest { get; set; }

        public void Nudge()
        {
            try
            {
                _nudge.Release();
            }
            catch (SemaphoreFullException)
            {
                // A re-read is already due.
            }
        }

        public async Task WaitForNudgeAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            await _nudge.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);

        // Cancelled here, disposed by the loop when it has ended: it may still be waiting on the semaphore now.
        public void Close() => Stop.Cancel();

        public void Dispose()
        {
            _nudge.Dispose();
            Stop.Dispose();
        }
    }
}
