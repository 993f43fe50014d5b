namespace Kefu.LoadTesting;

/// <summary>One customer turn as the load driver saw it.</summary>
/// <param name="Session">The simulated customer (0-based).</param>
/// <param name="Turn">The turn within the conversation (0-based).</param>
/// <param name="Message">What the customer sent.</param>
/// <param name="LatencyMilliseconds">From sending the request to the whole reply.</param>
/// <param name="FirstTokenMilliseconds">From sending to the first reply text, for streamed turns.</param>
/// <param name="Status">The HTTP status, or 0 when no response came (timeout, connection error).</param>
/// <param name="Error">What went wrong, or null for a served turn.</param>
/// <param name="Handoff">Whether the turn handed the conversation to a human.</param>
public sealed record TurnSample(
    int Session, int Turn, string Message, double LatencyMilliseconds, double? FirstTokenMilliseconds, int Status, string? Error, bool Handoff)
{
    /// <summary>The server acknowledged the turn with a complete reply.</summary>
    public bool Served => Error is null;
}
