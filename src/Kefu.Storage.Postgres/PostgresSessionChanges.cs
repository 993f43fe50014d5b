using Kefu.Service.Dialogue;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// PostgreSQL LISTEN/NOTIFY as an <see cref="ISessionChangeFeed"/>: <see cref="PostgresSessionStore"/> notifies
/// <see cref="Channel"/> with the session id inside each write's transaction (so a rolled-back write notifies no one),
/// and this listens on one connection per process while anyone subscribes. A lost connection — the database
/// restarting — is retried with a growing pause; once listening again it reports null ("re-read everything"), since
/// notifications sent meanwhile are gone. Followers keep their periodic re-read as the safety net.
/// </summary>
public sealed class PostgresSessionChanges : ISessionChangeFeed, IDisposable
{
    /// <summary>The notification channel the session store writes to.</summary>
    public const string Channel = "kefu_session_changes";

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MaxRetryPause = TimeSpan.FromSeconds(2);

    private readonly PostgresDatabase _database;
    private readonly TimeProvider _time;
    private readonly ILogger<PostgresSessionChanges> _logger;
    private readonly Lock _gate = new();
    private readonly List<Action<string?>> _subscribers = [];
    private CancellationTokenSource? _listening;

    public PostgresSessionChanges(PostgresDatabase database, TimeProvider time, ILogger<PostgresSessionChanges> logger)
    {
        _database = database;
        _time = time;
        _logger = logger;
    }

    /// <summary>Whether the LISTEN connection is up now (for tests and diagnostics).</summary>
    public bool IsListening { get; private set; }

    public IDisposable Subscribe(Action<string?> changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            _subscribers.Add(changed);
            if (_listening is null)
            {
                _listening = new CancellationTokenSource();
                var token = _listening.Token;
                _ = Task.Run(() => ListenAsync(token));
            }
        }
        return new Subscription(this, changed);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _subscribers.Clear();
            Stop();
        }
    }

    private void Leave(Action<string?> changed)
    {
        lock (_gate)
        {
            if (_subscribers.Remove(changed) && _subscribers.Count == 0)
                Stop();
        }
    }

    private void Stop()
    {
        _listening?.Cancel();
        _listening?.Dispose();
        _listening = null;
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                connection.Notification += (_, e) => Raise(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                IsListening = true;
                pause = TimeSpan.FromMilliseconds(250);
                Raise(null); // whatever happened before this LISTEN was not heard
                while (!cancellationToken.IsCancellationRequested)
                {
                    // A timed wait, then a round trip: a connection that died silently is noticed within KeepAlive.
                    if (!await connection.WaitAsync(KeepAlive, cancellationToken).ConfigureAwait(false))
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                IsListening = false;
                _logger.LogWarning("Listening for session changes failed ({Message}); retrying in {Pause} ms", e.Message, pause.TotalMilliseconds);
                await Task.Delay(pause, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, MaxRetryPause.Ticks));
            }
        }
        IsListening = false;
    }

    private void Raise(string? sessionId)
    {
        Action<string?>[] subscribers;
        lock (_gate)
            subscribers = [.. _subscribers];
        foreach (var subscriber in subscribers)
        {
            try
            {
                subscriber(sessionId);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // One follower's failure must not silence the others or end the listener.
                _logger.LogWarning(e, "A session-change subscriber failed");
            }
        }
    }

    private sealed class Subscription(PostgresSessionChanges owner, Action<string?> changed) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0)
                owner.Leave(changed);
        }
    }
}
