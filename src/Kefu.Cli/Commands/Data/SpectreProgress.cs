using Kefu.Data.Progress;
using Spectre.Console;

namespace Kefu.Cli.Commands.Data;

/// <summary>Shows the data library's progress steps as Spectre.Console progress tasks (bar, rate, remaining time).</summary>
internal sealed class SpectreProgress(ProgressContext context) : IProgressReporter
{
    public IProgressStep Begin(string description, int total) =>
        new Step(context.AddTask(description, autoStart: true, maxValue: Math.Max(total, 1)));

    /// <summary>Runs <paramref name="work"/> under a progress display on <paramref name="console"/>.</summary>
    public static Task<T> RunAsync<T>(IAnsiConsole console, Func<IProgressReporter, T> work, CancellationToken cancellationToken) =>
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(context => Task.Run(() => work(new SpectreProgress(context)), cancellationToken));

    private sealed class Step(ProgressTask task) : IProgressStep
    {
        public void Advance(int amount = 1) => task.Increment(amount);

        public void Dispose()
        {
            task.Value = task.MaxValue;
            task.StopTask();
        }
    }
}
