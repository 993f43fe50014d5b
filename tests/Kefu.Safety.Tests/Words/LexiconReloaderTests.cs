using Kefu.Safety.Words;
using Kefu.Testing;

namespace Kefu.Safety.Tests.Words;

public sealed class LexiconReloaderTests
{
    [Fact]
    public void ReloadIfChanged_WordFileEdited_SwapsInANewMatcher()
    {
        using var folder = WriteLexicon("傻逼\n");
        using var reloader = new LexiconReloader(folder.File("lexicon.json"), Timeout.InfiniteTimeSpan);
        var before = reloader.Current;
        before.FindHits("滚蛋").ShouldBeEmpty();

        File.WriteAllText(folder.File("abuse.txt"), "傻逼\n滚蛋\n");

        reloader.ReloadIfChanged().ShouldBeTrue();
        reloader.Current.ShouldNotBeSameAs(before);
        reloader.Current.FindHits("滚蛋").ShouldHaveSingleItem();
        before.FindHits("滚蛋").ShouldBeEmpty(); // a check in flight keeps the lexicon it started with
        reloader.ReloadCount.ShouldBe(1);
    }

    [Fact]
    public void ReloadIfChanged_NothingChanged_KeepsTheSameMatcher()
    {
        using var folder = WriteLexicon("傻逼\n");
        using var reloader = new LexiconReloader(folder.File("lexicon.json"), Timeout.InfiniteTimeSpan);
        var before = reloader.Current;

        reloader.ReloadIfChanged().ShouldBeFalse();
        reloader.Current.ShouldBeSameAs(before);
    }

    [Fact]
    public void ReloadIfChanged_BrokenEdit_KeepsThePreviousMatcherAndReportsTheError()
    {
        using var folder = WriteLexicon("傻逼\n");
        using var reloader = new LexiconReloader(folder.File("lexicon.json"), Timeout.InfiniteTimeSpan);
        var before = reloader.Current;

        File.WriteAllText(folder.File("abuse.txt"), "傻逼\n***\n");

        Should.Throw<LexiconFormatException>(() => reloader.ReloadIfChanged()).Message.ShouldContain("abuse.txt:2");
        reloader.Current.ShouldBeSameAs(before);
        reloader.LastError.ShouldNotBeNull();
    }

    [Fact]
    public void Timer_Fires_ReloadsChangedFilesWithoutACall()
    {
        using var folder = WriteLexicon("傻逼\n");
        var clock = new ManualTimeProvider();
        using var reloader = new LexiconReloader(folder.File("lexicon.json"), TimeSpan.FromSeconds(5), clock);
        File.WriteAllText(folder.File("abuse.txt"), "滚蛋\n");
        File.WriteAllText(folder.File("abuse.txt.bak"), "not read\n");

        clock.FireTimers();

        reloader.Current.FindHits("滚蛋").ShouldHaveSingleItem();
        clock.Period.ShouldBe(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Timer_BrokenEdit_IsSwallowedAndRecorded()
    {
        using var folder = WriteLexicon("傻逼\n");
        var clock = new ManualTimeProvider();
        using var reloader = new LexiconReloader(folder.File("lexicon.json"), TimeSpan.FromSeconds(5), clock);
        File.WriteAllText(folder.File("lexicon.json"), "{ broken");

        Should.NotThrow(clock.FireTimers);

        reloader.LastError.ShouldBeOfType<LexiconFormatException>();
        reloader.Current.FindHits("傻逼").ShouldHaveSingleItem();
    }

    private static TempDirectory WriteLexicon(string abuse)
    {
        var folder = new TempDirectory();
        File.WriteAllText(folder.File("abuse.txt"), abuse);
        File.WriteAllText(folder.File("lexicon.json"), """
            { "categories": [ { "name": "abuse", "severity": 3, "action": "block", "files": ["abuse.txt"] } ] }
            """);
        return folder;
    }

    /// <summary>A clock whose timers fire only when the test says so.</summary>
    private sealed class ManualTimeProvider : TimeProvider
    {
        private readonly List<TimerCallback> _callbacks = [];

        public TimeSpan Period { get; private set; }

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _callbacks.Add(callback);
            Period = period;
            return new ManualTimer();
        }

        public void FireTimers()
        {
            foreach (var callback in _callbacks)
                callback(null);
        }

        private sealed class ManualTimer : ITimer
        {
            public bool Change(TimeSpan dueTime, TimeSpan period) => true;

            public void Dispose()
            {
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
