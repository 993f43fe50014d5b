using Kefu.Server.Resilience;

namespace Kefu.Server.Tests.Faults;

/// <summary>The model circuit breaker's states on a clock the test moves.</summary>
public sealed class ModelCircuitBreakerTests
{
    private static readonly ModelResilienceOptions Options = new() { FailuresToOpen = 3, BreakDuration = TimeSpan.FromSeconds(30) };

    [Fact]
    public void FailuresInARow_OpenTheCircuit_AndASuccessInBetweenResetsTheCount()
    {
        var breaker = new ModelCircuitBreaker("primary", Options, new ManualClock());

        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.RecordSuccess();
        breaker.RecordFailure();
        breaker.RecordFailure();
        breaker.State.ShouldBe(CircuitState.Closed);
        breaker.RecordFailure();

        breaker.State.ShouldBe(CircuitState.Open);
        breaker.TryAcquire().ShouldBeFalse();
        breaker.TimesOpened.ShouldBe(1);
    }

    [Fact]
    public void AfterTheBreak_OnlyOneTrialGoesThrough_AndItsSuccessClosesTheCircuit()
    {
        var clock = new ManualClock();
        var breaker = Opened(clock);

        clock.Advance(TimeSpan.FromSeconds(29));
        breaker.TryAcquire().ShouldBeFalse();
        clock.Advance(TimeSpan.FromSeconds(1));
        breaker.State.ShouldBe(CircuitState.HalfOpen);
        breaker.TryAcquire().ShouldBeTrue();
        breaker.TryAcquire().ShouldBeFalse();
        breaker.RecordSuccess();

        breaker.State.ShouldBe(CircuitState.Closed);
        breaker.TryAcquire().ShouldBeTrue();
    }

    [Fact]
    public void AFailedTrial_ReopensTheCircuitForAnotherBreak()
    {
        var clock = new ManualClock();
        var breaker = Opened(clock);
        clock.Advance(TimeSpan.FromSeconds(30));

        breaker.TryAcquire().ShouldBeTrue();
        breaker.RecordFailure();

        breaker.State.ShouldBe(CircuitState.Open);
        breaker.TimesOpened.ShouldBe(2);
        clock.Advance(TimeSpan.FromSeconds(10));
        breaker.TryAcquire().ShouldBeFalse();
    }

    [Fact]
    public void ATrialAbandonedByTheCustomer_FreesTheSlotForTheNextCall()
    {
        var clock = new ManualClock();
        var breaker = Opened(clock);
        clock.Advance(TimeSpan.FromSeconds(30));
        breaker.TryAcquire().ShouldBeTrue();

        breaker.Release();

        breaker.TryAcquire().ShouldBeTrue();
    }

    private static ModelCircuitBreaker Opened(ManualClock clock)
    {
        var breaker = new ModelCircuitBreaker("primary", Options, clock);
        for (var i = 0; i < Options.FailuresToOpen; i++)
            breaker.RecordFailure();
        breaker.State.ShouldBe(CircuitState.Open);
        return breaker;
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
