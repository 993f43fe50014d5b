namespace Kefu.Service.Knowledge;

/// <summary>
/// Runs a knowledge base's embedding backfill in the background, one at a time, whatever its store. A failure is
/// reported, not thrown: the backfill is tried again at the next generation, so a server that is down costs one
/// failed call per import, not per search.
/// </summary>
internal sealed class BackgroundBackfill
{
    private int _running;

    /// <summary>Starts <paramref name="backfill"/> unless one is running; failures <paramref name="expected"/> accepts go to <paramref name="report"/>.</summary>
    public void Start(Func<Task> backfill, Func<Exception, bool> expected, Action<Exception> report)
    {
        if (Interlocked.Exchange(ref _running, 1) == 1)
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                await backfill().ConfigureAwait(false);
            }
            catch (Exception e) when (expected(e))
            {
                report(e);
            }
            finally
            {
                Volatile.Write(ref _running, 0);
            }
        });
    }
}
