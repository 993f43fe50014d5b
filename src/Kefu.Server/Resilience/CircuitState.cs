namespace Kefu.Server.Resilience;

/// <summary>A circuit breaker's state (the numbers are the <c>kefu.model.circuit.state</c> gauge's values).</summary>
public enum CircuitState
{
    /// <summary>Calls go through.</summary>
    Closed = 0,

    /// <summary>Calls fail at once: the model failed too often in a row.</summary>
    Open = 1,

    /// <summary>The break is over: one trial call goes through; its outcome closes or re-opens the circuit.</summary>
    HalfOpen = 2,
}
