using System.Threading.Channels;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// The live agent queue: re-reads the waiting and claimed conversations from the session store and hands every
/// subscriber (each open agent console) a new snapshot when something changed. Polling the store, rather than
/// listening to this process, also sees hand-offs and claims made on other replicas that share the store; changes
/// made here <see cref="Nudge"/> it so they show at once, and so do other replicas' writes where the store has an
/// <see cref="ISessionChangeFeed"/> (PostgreSQL LISTEN/NOTIFY): the poll is then only the safety net. It reads only
/// while someone is watching.
/// </summary>
internal sealed class QueueWatcher(
    ISessionStore store, KefuServerOptions options, TimeProvider time, ILogger<QueueWatcher> logger, ISessionChangeFeed? changes = null) : IDisposable
{
    private const int Limit = 100;
    private readonly Lock _gate = new();
    private readonly List<Channel<QueueSnapshot>> _subscribers = [];
    private readonly SemaphoreSlim _nudge = new(0, 1);
    private readonly Dictionary<string, (DateTimeOffset UpdatedAt, string? Preview)> _previews = new(StringComparer.Ordinal);
    private CancellationTokenSource? _loop;
    private QueueSnapshot? _latest;
    private IDisposable? _changes;

    /// <summary>
    /// Snapshots from now on: the current one first (when known), then one per change; only the newest is kept for a
    /// slow reader. Dispose the subscription to stop (the last one out stops the polling).
    /// </summary>
    public FeedSubscription<QueueSnapshot> Subscribe()
    {
        var channel = Channel.CreateBounded<QueueSnapshot>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_gate)
        {
            _subscribers.Add(channel);
            if (_latest is not null)
                channel.Writer.TryWrite(_latest);
            if (_loop is null)
            {
                _loop = new CancellationTokenSource();
                // Another replica's hand-off or claim (PostgreSQL NOTIFY) re-reads at once; the poll stays as the safety net.
                _changes = changes?.Subscribe(_ => Nudge());
                _ = PollAsync(_loop.Token);
            }
        }
        return new FeedSubscription<QueueSnapshot>(channel.Reader, () => Unsubscribe(channel));
    }

    private void Unsubscribe(Channel<QueueSnapshot> channel)
    {
        lock (_gate)
        {
            _subscribers.Remove(channel);
            if (_subscribers.Count == 0 && _loop is not null)
            {
                _changes?.Dispose();
                _changes = null;
                _loop.Cancel();
                _loop.Dispose();
                _loop = null;
                _latest = null;
            }
        }
    }

    /// <summary>Re-read the queue now (a hand-off, claim or release just happened here).</summary>
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

    /// <summary>An endpoint filter for the agent actions: after a claim, release or resolve, the feed shows it at once.</summary>
    public static async ValueTask<object?> NudgeAfterWrites(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context).ConfigureAwait(false);
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method))
            context.HttpContext.RequestServices.GetRequiredService<QueueWatcher>().Nudge();
        return result;
    }

    /// <summary>The queue as it is now.</summary>
    public async Task<QueueSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        var waiting = await store.ListAsync(SessionState.WaitingForHuman, Limit, cancellationToken).ConfigureAwait(false);
        var claimed = await store.ListAsync(SessionState.Human, Limit, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var items = new List<QueueItem>(waiting.Count + claimed.Count);
        for (var i = 0; i < waiting.Count; i++)
            items.Add(await ItemAsync(waiting[i], i + 1, now, cancellationToken).ConfigureAwait(false));
        foreach (var session in claimed)
            items.Add(await ItemAsync(session, 0, now, cancellationToken).ConfigureAwait(false));
        lock (_gate)
        {
            // Forget the previews of conversations that left the queue.
            foreach (var gone in _previews.Keys.Where(id => !items.Any(i => i.SessionId == id)).ToList())
                _previews.Remove(gone);
        }
        return new QueueSnapshot(now, waiting.Count, items);
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        string? previous = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var snapshot = await ReadAsync(cancellationToken).ConfigureAwait(false);
                var signature = snapshot.Signature();
                if (signature != previous)
                {
                    previous = signature;
                    lock (_gate)
                    {
                        _latest = snapshot;
                        foreach (var subscriber in _subscribers)
                            subscriber.Writer.TryWrite(snapshot);
                    }
                }
                await _nudge.WaitAsync(options.AgentQueuePollInterval, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A store hiccup must not end the feed: log it and try again on the next tick.
                logger.LogWarning(e, "Reading the agent queue failed; retrying");
                await Task.Delay(options.AgentQueuePollInterval, time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<QueueItem> ItemAsync(Session session, int position, DateTimeOffset now, CancellationToken cancellationToken)
    {
        string? preview;
        lock (_gate)
            preview = _previews.TryGetValue(session.Id, out var cached) && cached.UpdatedAt == session.UpdatedAt ? cached.Preview : null;
        if (preview is null)
        {
            // Lists carry no messages: read the last customer message once per change of the session.
            var full = await store.FindAsync(session.Id, cancellationToken).ConfigureAwait(false);
            preview = full?.Messages.LastOrDefault(m => m.Role == SessionMessage.User)?.Content ?? "";
            if (preview.Length > 60)
                preview = preview[..60] + "…";
            lock (_gate)
                _previews[session.Id] = (session.UpdatedAt, preview);
        }
        var waited = session.QueuedAt is { } queued ? (now - queued).TotalSeconds : 0;
        return new QueueItem(session.Id, session.State, position, session.HandoffReason, session.AssignedAgent, session.QueuedAt, Math.Max(0, Math.Round(waited)), preview,
            session.UpdatedAt);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _loop?.Cancel();
            _loop?.Dispose();
            _loop = null;
        }
        _nudge.Dispose();
    }
}
