using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Kefu.Service.Diagnostics;

/// <summary>
/// The service's metrics on System.Diagnostics.Metrics (meter <c>Kefu.Service</c>), so any exporter can publish
/// them: the server maps them to Prometheus at /metrics. Durations are in seconds, as Prometheus expects.
/// </summary>
public sealed class ServiceMetrics
{
    public const string MeterName = "Kefu.Service";

    private readonly Counter<long> _turns;
    private readonly Histogram<double> _turnDuration;
    private readonly Counter<long> _handoffs;
    private readonly Counter<long> _toolCalls;
    private readonly Histogram<double> _toolDuration;
    private readonly Histogram<double> _searchDuration;
    private readonly Counter<long> _safetyHits;
    private readonly Counter<long> _injections;
    private readonly Counter<long> _anomalies;
    private readonly Counter<long> _escalations;
    private readonly Counter<long> _guardReplacements;
    private readonly Histogram<double> _guardDuration;
    private readonly Histogram<double> _stageDuration;
    private readonly ConcurrentDictionary<string, ToolTally> _toolTallies = new(StringComparer.Ordinal);

    // Seconds from a millisecond to half a minute: a retrieval turn takes milliseconds, a model turn seconds.
    private static readonly InstrumentAdvice<double> DurationBuckets = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    // Stages are finer than turns: a guard check takes microseconds, a knowledge search a millisecond, a model round seconds.
    private static readonly InstrumentAdvice<double> StageBuckets = new()
    {
        HistogramBucketBoundaries = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    public ServiceMetrics(IMeterFactory meterFactory)
        : this(meterFactory, MeterName)
    {
    }

    /// <summary>
    /// Creates the instruments on a meter of the given name. Instrument names (hence Prometheus names) do not depend
    /// on it; a distinct name only keeps several servers in one process apart (OpenTelemetry .NET stops every
    /// same-named meter's streams when one is disposed: open-telemetry/opentelemetry-dotnet#6412).
    /// </summary>
    public ServiceMetrics(IMeterFactory meterFactory, string meterName)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(meterName);
        _turns = meter.CreateCounter<long>("kefu.turns", "{turn}", "Turns handled, by routed intent and whether they were answered.");
        _turnDuration = meter.CreateHistogram("kefu.turn.duration", "s", "Time to handle a turn, model time included.", advice: DurationBuckets);
        _handoffs = meter.CreateCounter<long>("kefu.handoffs", "{handoff}", "Conversations handed to a human, by reason.");
        _toolCalls = meter.CreateCounter<long>("kefu.tool.calls", "{call}", "Tool calls, by tool and outcome.");
        _toolDuration = meter.CreateHistogram("kefu.tool.duration", "s", "Tool call time, retries included.", advice: DurationBuckets);
        _searchDuration = meter.CreateHistogram("kefu.knowledge.search.duration", "s", "Knowledge base search time.", advice: DurationBuckets);
        _safetyHits = meter.CreateCounter<long>("kefu.safety.hits", "{hit}", "Listed words found, by direction (input/output), category and action taken.");
        _injections = meter.CreateCounter<long>("kefu.safety.injections", "{message}", "Customer messages flagged as prompt injection, by strongest reason.");
        _anomalies = meter.CreateCounter<long>("kefu.safety.anomalies", "{anomaly}", "Reply anomalies found, by kind.");
        _guardReplacements = meter.CreateCounter<long>("kefu.safety.replacements", "{reply}",
            "Turns answered with a guard's safe reply instead, by direction and cause (word, injection, anomaly).");
        _escalations = meter.CreateCounter<long>("kefu.escalations", "{turn}", "Turns routed to the larger backend, by strongest complexity reason.");
        _guardDuration = meter.CreateHistogram("kefu.safety.duration", "s", "Time spent in the guards per check, by direction.", advice: DurationBuckets);
        _stageDuration = meter.CreateHistogram("kefu.stage.duration", "s",
            "Time spent in each stage of a turn (stages nest: route includes search, respond includes tool and model).", advice: StageBuckets);
        meter.CreateObservableGauge("kefu.tool.success.ratio", ObserveToolSuccess, "1",
            "Share of each tool's calls that succeeded since the service started (refusals by business rules count as handled).");
    }

    public void TurnHandled(string intent, bool resolved, TimeSpan duration)
    {
        var tags = new KeyValuePair<string, object?>[] { new("intent", intent), new("resolved", resolved) };
        _turns.Add(1, tags);
        _turnDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("intent", intent));
    }

    public void HandedOff(string reason) => _handoffs.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void ToolCalled(string tool, string outcome, bool handled, TimeSpan duration)
    {
        _toolCalls.Add(1, new KeyValuePair<string, object?>("tool", tool), new KeyValuePair<string, object?>("outcome", outcome));
        _toolDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("tool", tool));
        var tally = _toolTallies.GetOrAdd(tool, _ => new ToolTally());
        Interlocked.Increment(ref tally.Calls);
        if (handled)
            Interlocked.Increment(ref tally.Handled);
    }

    public void SafetyHit(string direction, string category, string action) =>
        _safetyHits.Add(1, new("direction", direction), new("category", category), new("action", action));

    public void InjectionFlagged(string reason) => _injections.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void AnomalyFound(string kind) => _anomalies.Add(1, new KeyValuePair<string, object?>("kind", kind));

    public void GuardReplaced(string direction, string cause) =>
        _guardReplacements.Add(1, new KeyValuePair<string, object?>("direction", direction), new KeyValuePair<string, object?>("cause", cause));

    public void GuardChecked(string direction, TimeSpan duration) =>
        _guardDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("direction", direction));

    public void Escalated(string reason) => _escalations.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void KnowledgeSearched(TimeSpan duration) => _searchDuration.Record(duration.TotalSeconds);

    /// <summary>Starts a stage of a turn: its span now, its duration when the returned span is disposed.</summary>
    public StageSpan BeginStage(string stage) => new(this, stage);

    internal void StageCompleted(string stage, TimeSpan duration) =>
        _stageDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("stage", stage));

    private IEnumerable<Measurement<double>> ObserveToolSuccess() =>
        _toolTallies.Select(t => new Measurement<double>(
            t.Value.Calls == 0 ? 1 : (double)Volatile.Read(ref t.Value.Handled) / Volatile.Read(ref t.Value.Calls),
            new KeyValuePair<string, object?>("tool", t.Key)));

    private sealed class ToolTally
    {
        public long Calls;
        public long Handled;
    }
}
