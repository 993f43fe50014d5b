namespace Kefu.Service.Dialogue;

/// <summary>
/// Serialises turns of the same session (two quick messages must not both read the old state and overwrite each
/// other) with a fixed set of striped locks, so memory does not grow with the number of sessions.
/// </summary>
public sealed class SessionLocks
{
    private readonly SemaphoreSlim[] _locks = Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    public async Task<IDisposable> AcquireAsync(string sessionId, CancellationToken cancellationToken)
    {
        var gate = _locks[(int)((uint)StringComparer.Ordinal.GetHashCode(sessionId) % (uint)_locks.Length)];
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                gate.Release();
        }
    }
}
