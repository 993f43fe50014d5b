using System.Diagnostics.Metrics;

namespace Kefu.Server.Resilience;

/// <summary>
/// The model circuits on the service's meter: <c>kefu_model_circuit_state</c> (0 closed, 1 open, 2 half-open) and
/// <c>kefu_model_circuit_opened_total</c>, tagged by backend (primary, escalation).
/// </summary>
internal sealed class ModelCircuitMetrics : IHostedService
{
    public ModelCircuitMetrics(IMeterFactory meterFactory, string meterName, ModelCircuits circuits)
    {
        var meter = meterFactory.Create(meterName);
        meter.CreateObservableGauge("kefu.model.circuit.state",
            () => circuits.Breakers.Select(b => new Measurement<int>((int)b.State, new KeyValuePair<string, object?>("backend", b.Backend))),
            unit: null, description: "Model circuit breaker state by backend: 0 closed, 1 open (calls refused), 2 half-open (one trial call).");
        meter.CreateObservableCounter("kefu.model.circuit.opened",
            () => circuits.Breakers.Select(b => new Measurement<long>(b.TimesOpened, new KeyValuePair<string, object?>("backend", b.Backend))),
            unit: "{opening}", description: "Times a model's circuit opened after repeated failures.");
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
