namespace Kefu.Service.Dialogue;

/// <summary>
/// Tells this process when a session changes in a store it shares with other processes (replicas on one
/// PostgreSQL database), so what a customer or agent follows live shows another replica's write at once instead of at
/// the next re-read. A store only one process uses needs none: that process nudges its own followers.
/// </summary>
public interface ISessionChangeFeed
{
    /// <summary>
    /// Calls <paramref name="changed"/> with a session's id after a committed change to it (a turn, an agent's claim,
    /// reply, resolve or hand-back), or with null when changes may have been missed — the feed lost its connection and
    /// is back — so everything followed should be re-read. Callbacks come on a background thread and must not block.
    /// Dispose the result to stop.
    /// </summary>
    IDisposable Subscribe(Action<string?> changed);
}
