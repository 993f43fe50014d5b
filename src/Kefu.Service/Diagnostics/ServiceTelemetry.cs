using System.Diagnostics;

namespace Kefu.Service.Diagnostics;

/// <summary>
/// The service's traces: one <see cref="ActivitySource"/> (<c>Kefu.Service</c>) with a <c>kefu.turn</c> span per
/// customer turn and a child span per stage (input guard, routing, knowledge search, responder, tool calls, model
/// rounds, output guard, hand-off decision). Tags carry decisions and counts, never the customer's or the model's
/// text: a trace backend is not a place for personal data.
/// </summary>
public static class ServiceTelemetry
{
    /// <summary>The activity source name to subscribe to (OpenTelemetry: <c>AddSource</c>).</summary>
    public const string SourceName = "Kefu.Service";

    internal static readonly ActivitySource Source = new(SourceName);

    /// <summary>
    /// The source (and meter) name of the gen_ai spans and token metrics of the model clients, derived from the
    /// service's meter name so that servers sharing a process (tests) keep theirs apart.
    /// </summary>
    public static string ModelSourceName(string meterName) => meterName + ".Model";

    /// <summary>Starts the span of a whole turn (null when nobody listens).</summary>
    internal static Activity? StartTurn() => Source.StartActivity("kefu.turn");
}
