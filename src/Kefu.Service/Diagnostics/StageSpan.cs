using System.Diagnostics;

namespace Kefu.Service.Diagnostics;

/// <summary>
/// One stage of a turn in progress: a <c>kefu.{stage}</c> span (when something listens to
/// <see cref="ServiceTelemetry.SourceName"/>) and, on <see cref="Dispose"/>, a <c>kefu.stage.duration</c>
/// measurement. Tags must be decisions, names and counts — never message text.
/// </summary>
public sealed class StageSpan : IDisposable
{
    private readonly ServiceMetrics _metrics;
    private readonly string _stage;
    private readonly long _started;
    private bool _disposed;

    internal StageSpan(ServiceMetrics metrics, string stage)
    {
        _metrics = metrics;
        _stage = stage;
        Activity = ServiceTelemetry.Source.StartActivity("kefu." + stage);
        _started = Stopwatch.GetTimestamp();
    }

    /// <summary>The span, or null when no one records traces.</summary>
    public Activity? Activity { get; }

    /// <summary>Sets a tag on the span (nothing when there is none).</summary>
    public StageSpan Tag(string name, object? value)
    {
        Activity?.SetTag(name, value);
        return this;
    }

    /// <summary>Marks the stage failed with the exception's type (its message may quote data, so it is left out).</summary>
    public void Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        Activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
        Activity?.SetTag("error.type", exception.GetType().FullName);
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _metrics.StageCompleted(_stage, Stopwatch.GetElapsedTime(_started));
        Activity?.Dispose();
    }
}
