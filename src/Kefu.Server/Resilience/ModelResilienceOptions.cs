namespace Kefu.Server.Resilience;

/// <summary>
/// How long the service waits for a model, and when it stops asking one that keeps failing. Whatever the model does,
/// the customer gets an answer: a failed or timed-out call falls back to the retrieval-only reply for that turn.
/// </summary>
public sealed record ModelResilienceOptions
{
    /// <summary>Longest wait for the first streamed token (prompt processing plus queueing on the inference server).</summary>
    public TimeSpan FirstTokenTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest silence between two streamed tokens.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest time a whole model call may take, streamed or not.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Failed calls in a row that open the circuit (calls then fail at once, without reaching the model).</summary>
    public int FailuresToOpen { get; init; } = 5;

    /// <summary>How long the circuit stays open before one trial call may test the model again.</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The defaults for a model run in-process (<c>kefu serve --model</c>): on a CPU, prefilling a long prompt or
    /// decoding a long answer is slow but not a fault, and cutting it off would waste the work already done; a
    /// failing model still opens the circuit.
    /// </summary>
    public static ModelResilienceOptions InProcess { get; } = new()
    {
        FirstTokenTimeout = TimeSpan.FromMinutes(2),
        IdleTimeout = TimeSpan.FromSeconds(30),
        TotalTimeout = TimeSpan.FromMinutes(5),
    };
}
