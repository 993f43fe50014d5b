using System.Globalization;
using Kefu.Training.Running;
using Spectre.Console;

namespace Kefu.Cli.Commands.Training;

/// <summary>
/// Shows a run: on a terminal a progress bar (step, loss, lr, tokens/s, ETA); elsewhere (logs, tests) one plain line
/// per evaluation and every tenth of the run, so redirected output stays readable.
/// </summary>
internal sealed class TrainingProgressView(IAnsiConsole console)
{
    private ProgressTask? _task;
    private int _lastPrintedStep = -1;

    public void Report(TrainingProgress progress)
    {
        var text = Describe(progress);
        if (_task is not null)
        {
            _task.MaxValue = progress.TotalSteps;
            _task.Value = progress.Step;
            if (progress.Kind == "train")
                _task.Description = Markup.Escape(text);
            else
                console.MarkupLine(Markup.Escape(text));
            return;
        }
        var every = Math.Max(1, progress.TotalSteps / 10);
        if (progress.Kind == "eval" || progress.Step % every == 0 || progress.Step == progress.TotalSteps)
        {
            if (progress.Kind == "train" && progress.Step == _lastPrintedStep)
                return;
            _lastPrintedStep = progress.Step;
            console.WriteLine(text);
        }
    }

    public async Task<TrainingSummary> RunAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        if (!console.Profile.Capabilities.Interactive)
            return await Task.Run(() => run.Run(cancellationToken), CancellationToken.None).ConfigureAwait(false);
        return await console.Progress()
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask("starting", maxValue: Math.Max(1, run.Trainer.StageSteps().Sum()));
                // The token is not passed to Task.Run: a cancelled run must still reach its checkpoint.
                var summary = await Task.Run(() => run.Run(cancellationToken), CancellationToken.None).ConfigureAwait(false);
                _task.Value = _task.MaxValue;
                return summary;
            }).ConfigureAwait(false);
    }

    private static string Describe(TrainingProgress p) => p.Kind == "eval"
        ? string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} [{p.Stage}] eval loss {p.EvalLoss:F4}")
        : string.Create(CultureInfo.InvariantCulture, $"step {p.Step}/{p.TotalSteps} [{p.Stage}] loss {p.Loss:F4} lr {p.LearningRate:E2} {p.TokensPerSecond:F0} tok/s");
}
