namespace Kefu.Server.Resilience;

/// <summary>
/// A consecutive-failure circuit breaker for one model backend. Closed: calls go through, and
/// <see cref="ModelResilienceOptions.FailuresToOpen"/> failures in a row open it. Open: calls are refused at once
/// for <see cref="ModelResilienceOptions.BreakDuration"/>, so a dead inference server costs customers nothing but the
/// fallback. Then half-open: a single trial call goes through; success closes the circuit, failure re-opens it.
/// Hand-written rather than Polly's because a streamed call's outcome is known only when its last token arrives,
/// after the call that started it has returned.
/// </summary>
public sealed class ModelCircuitBreaker(string backend, ModelResilienceOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private CircuitState _state = CircuitState.Closed;
    private int _failures;
    private DateTimeOffset _openedAt;
    private bool _trialInFlight;
    private long _opened;

    /// <summary>Which backend this circuit guards (primary, escalation), as the metrics tag it.</summary>
    public string Backend { get; } = backend;

    /// <summary>The state now (an open circuit whose break is over reads as half-open).</summary>
    public CircuitState State
    {
        get
        {
            lock (_lock)
                return _state == CircuitState.Open && BreakIsOver() ? CircuitState.HalfOpen : _state;
        }
    }

    /// <summary>How many times the circuit has opened.</summary>
    public long TimesOpened => Interlocked.Read(ref _opened);

    /// <summary>
    /// Whether a call may go to the model now. True in the closed state; after the break, true once (the trial) until
    /// that call's outcome is recorded or released.
    /// </summary>
    public bool TryAcquire()
    {
        lock (_lock)
        {
            switch (_state)
            {
                case CircuitState.Closed:
                    return true;
                case CircuitState.Open when BreakIsOver():
                case CircuitState.HalfOpen when !_trialInFlight:
                    _state = CircuitState.HalfOpen;
                    _trialInFlight = true;
                    return true;
                default:
                    return false;
            }
        }
    }

    public void RecordSuccess()
    {
        lock (_lock)
        {
            _failures = 0;
            _trialInFlight = false;
            _state = CircuitState.Closed;
        }
    }

    public void RecordFailure()
    {
        lock (_lock)
        {
            _failures++;
            if (_state == CircuitState.HalfOpen || _failures >= options.FailuresToOpen)
            {
                _state = CircuitState.Open;
                _openedAt = time.GetUtcNow();
                _trialInFlight = false;
                Interlocked.Increment(ref _opened);
            }
        }
    }

    /// <summary>A call ended with no verdict on the model (the customer went away): a half-open trial slot is freed.</summary>
    public void Release()
    {
        lock (_lock)
            _trialInFlight = false;
    }

    private bool BreakIsOver() => time.GetUtcNow() - _openedAt >= options.BreakDuration;
}
