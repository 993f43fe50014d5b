using Kefu.Learning.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Learning.Tests;

public sealed class DailyLearningJobTests
{
    private static readonly DailySchedule ThreeAmShopTime = DailySchedule.Parse("03:00", "+08:00");

    [Fact]
    public void NextAfter_BeforeAndAfterTheTimeOfDay_GivesTodayOrTomorrowInTheShopOffset()
    {
        var beforeThree = new DateTimeOffset(2026, 11, 20, 18, 30, 0, TimeSpan.Zero);   // 02:30 on 11-21 in UTC+8
        ThreeAmShopTime.NextAfter(beforeThree).ShouldBe(new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.FromHours(8)));
        var atThree = new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.FromHours(8));
        ThreeAmShopTime.NextAfter(atThree).ShouldBe(atThree.AddDays(1));
    }

    [Theory]
    [InlineData("3am", "+08:00")]
    [InlineData("03:00", "Asia/Shanghai")]
    public void Parse_BadSchedule_NamesTheField(string at, string offset) =>
        Should.Throw<FormatException>(() => DailySchedule.Parse(at, offset)).Message.ShouldMatch("^(daily_at|utc_offset): ");

    [Fact]
    public async Task Job_FakeClockMovesPastThreeAmTwice_RunsOncePerDay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero));   // 02:00 shop time
        var runs = 0;
        var job = new DailyLearningJob(_ =>
        {
            Interlocked.Increment(ref runs);
            return Task.FromResult(new LearningRunReport { RunId = "r", StartedAt = time.GetUtcNow(), Outcome = "nothing-to-train" });
        }, ThreeAmShopTime, time, NullLogger<DailyLearningJob>.Instance);
        await job.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var first = new DateTimeOffset(2026, 11, 21, 3, 0, 0, TimeSpan.FromHours(8));
            await WaitForAsync(() => job.NextRun == first);
            time.Advance(TimeSpan.FromMinutes(59));
            await Task.Delay(100, TestContext.Current.CancellationToken);
            Volatile.Read(ref runs).ShouldBe(0);
            time.Advance(TimeSpan.FromMinutes(2));
            await WaitForAsync(() => job.Runs == 1 && job.NextRun == first.AddDays(1));
            time.Advance(TimeSpan.FromHours(23));
            await Task.Delay(100, TestContext.Current.CancellationToken);
            job.Runs.ShouldBe(1);
            time.Advance(TimeSpan.FromHours(1));
            await WaitForAsync(() => job.Runs == 2);
            Volatile.Read(ref runs).ShouldBe(2);
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Job_RunThrows_KeepsRunningForTheNextDay()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 18, 0, 0, TimeSpan.Zero));
        var job = new DailyLearningJob(_ => throw new InvalidDataException("broken learn.json"), ThreeAmShopTime, time, NullLogger<DailyLearningJob>.Instance);
        await job.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            await WaitForAsync(() => job.NextRun != null);
            time.Advance(TimeSpan.FromHours(1));
            await WaitForAsync(() => job.Runs == 1 && job.NextRun == new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.FromHours(8)));
            time.Advance(TimeSpan.FromDays(1));
            await WaitForAsync(() => job.Runs == 2);
        }
        finally
        {
            await job.StopAsync(CancellationToken.None);
        }
    }

    // The job's loop continues on the thread pool after the fake clock fires its timer.
    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 200 && !condition(); i++)
            await Task.Delay(10, TestContext.Current.CancellationToken);
        condition().ShouldBeTrue();
    }
}
