using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kefu.Learning.Hosting;

/// <summary>
/// Runs the learning loop once a day inside the server (the alternative to cron). Time comes from the
/// <see cref="TimeProvider"/>, so tests move it by hand. A failed run is logged and the job waits for the next day:
/// the server must keep serving whatever the training did.
/// </summary>
public sealed partial class DailyLearningJob(Func<CancellationToken, Task<LearningRunReport>> runOnce, DailySchedule schedule, TimeProvider time, ILogger<DailyLearningJob> logger)
    : BackgroundService
{
    /// <summary>Runs completed (for tests and /metrics-style inspection).</summary>
    public int Runs => Volatile.Read(ref _runs);

    private int _runs;
    private long _nextRunUtcTicks;

    /// <summary>When the job will run next (UTC), once it is waiting; null before.</summary>
    public DateTimeOffset? NextRun => Interlocked.Read(ref _nextRunUtcTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.NextAfter(now);
            LogNextRun(next);
            Interlocked.Exchange(ref _nextRunUtcTicks, next.UtcTicks);
            try
            {
                await Task.Delay(next - now, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            try
            {
                var report = await runOnce(stoppingToken).ConfigureAwait(false);
                LogRun(report.RunId, report.Outcome, report.Message);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailure(e);
            }
            Interlocked.Increment(ref _runs);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Next learning run at {Next:O}")]
    private partial void LogNextRun(DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Information, Message = "Learning run {Run}: {Outcome} ({Message})")]
    private partial void LogRun(string run, string outcome, string? message);

    [LoggerMessage(Level = LogLevel.Error, Message = "Learning run failed; the next one is tomorrow.")]
    private partial void LogFailure(Exception exception);
}
