using System.Collections.Concurrent;
using System.Diagnostics;

namespace Kefu.Server.Tests.Observability;

/// <summary>
/// Records the spans this process produces (the service's, ASP.NET Core's, HttpClient's, the model clients') and
/// picks out one trace: a test starts a root span, calls the server over HTTP (which carries the trace context), and
/// reads back the spans of that trace only — other tests' servers run in the same process at the same time.
/// </summary>
internal sealed class SpanRecorder : IDisposable
{
    private static readonly ActivitySource TestSource = new("Kefu.Server.Tests.Observability");
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == TestSource || source.Name.StartsWith("Kefu.", StringComparison.Ordinal)
                || source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts the test's root span; what the test sends while it is current belongs to its trace.</summary>
    public static Activity StartRoot(string name) =>
        TestSource.StartActivity(name, ActivityKind.Internal) ?? throw new InvalidOperationException("the test span was not sampled");

    /// <summary>
    /// The finished spans of a trace, once <paramref name="complete"/> holds for them (the server closes its request
    /// span just after the client has the response, so they are awaited briefly).
    /// </summary>
    public async Task<IReadOnlyList<Activity>> TraceAsync(ActivityTraceId trace, Func<IReadOnlyList<Activity>, bool> complete)
    {
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 10;
        while (true)
        {
            var spans = _stopped.Where(a => a.TraceId == trace).ToList();
            if (complete(spans) || Stopwatch.GetTimestamp() > deadline)
                return spans;
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>All finished spans named <paramref name="operation"/>, from every trace.</summary>
    public IReadOnlyList<Activity> Named(string operation) => _stopped.Where(a => a.OperationName == operation).ToList();

    /// <summary>The trace as an indented tree (name, duration, tags), for printing.</summary>
    public static string Tree(IReadOnlyList<Activity> spans)
    {
        var text = new System.Text.StringBuilder();
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        foreach (var root in spans.Where(s => !ids.Contains(s.ParentSpanId)).OrderBy(s => s.StartTimeUtc))
            Append(root, 0);
        return text.ToString();

        void Append(Activity span, int depth)
        {
            var tags = string.Join(" ", span.TagObjects.Select(t => $"{t.Key}={t.Value}"));
            text.Append(' ', depth * 2).Append(span.DisplayName).Append(" (").Append(span.Duration.TotalMilliseconds.ToString("F2", System.Globalization.CultureInfo.InvariantCulture))
                .Append(" ms) ").Append(tags).Append('\n');
            foreach (var child in spans.Where(s => s.ParentSpanId == span.SpanId).OrderBy(s => s.StartTimeUtc))
                Append(child, depth + 1);
        }
    }

    public void Dispose() => _listener.Dispose();
}
