using Kefu.Service.Dialogue;

namespace Kefu.Server.Tests.Load;

/// <summary>
/// Per-session turn locks under concurrency: one session's turns wait for each other, other sessions never wait for
/// it (the striped locks they replace made unrelated customers wait for each other's model answers), and nothing is
/// left behind when the turns are done.
/// </summary>
public sealed class SessionLocksTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManySessions_WhileEveryOneHoldsItsLock_NoneWaitsForAnother()
    {
        var locks = new SessionLocks();
        var held = new List<IDisposable>();

        // Enough sessions that 256 stripes would certainly have put two on one lock.
        for (var i = 0; i < 500; i++)
        {
            var acquire = locks.AcquireAsync($"s_{i:x32}", Ct);
            acquire.IsCompleted.ShouldBeTrue($"session {i} waited for another session's lock");
            held.Add(await acquire);
        }
        locks.ActiveSessions.ShouldBe(500);
        held.ForEach(h => h.Dispose());

        locks.ActiveSessions.ShouldBe(0);
    }

    [Fact]
    public async Task SameSession_SecondTurnWaits_UntilTheFirstReleases()
    {
        var locks = new SessionLocks();
        var first = await locks.AcquireAsync("s_1", Ct);

        var second = locks.AcquireAsync("s_1", Ct);
        await Task.Delay(50, Ct);
        second.IsCompleted.ShouldBeFalse();
        first.Dispose();
        first.Dispose(); // twice is harmless
        (await second.WaitAsync(TimeSpan.FromSeconds(5), Ct)).Dispose();

        locks.ActiveSessions.ShouldBe(0);
    }

    [Fact]
    public async Task WaiterCancelled_LeavesNothingBehind_AndTheHolderStillReleases()
    {
        var locks = new SessionLocks();
        var holder = await locks.AcquireAsync("s_1", Ct);
        using var cancel = new CancellationTokenSource();

        var waiter = locks.AcquireAsync("s_1", cancel.Token);
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(() => waiter);
        holder.Dispose();

        locks.ActiveSessions.ShouldBe(0);
        (await locks.AcquireAsync("s_1", Ct)).Dispose();
    }

    [Fact]
    public async Task ConcurrentTurnsOfOneSession_RunOneAtATime()
    {
        var locks = new SessionLocks();
        var inside = 0;
        var overlaps = 0;

        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            using (await locks.AcquireAsync("s_same", Ct))
            {
                if (Interlocked.Increment(ref inside) > 1)
                    Interlocked.Increment(ref overlaps);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }, Ct)));

        overlaps.ShouldBe(0);
        locks.ActiveSessions.ShouldBe(0);
    }
}
