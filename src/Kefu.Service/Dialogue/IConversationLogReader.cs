namespace Kefu.Service.Dialogue;

/// <summary>
/// Read-only access to the conversation log for analytics (<c>kefu report</c>) and the learning loop
/// (<c>kefu learn</c>). Separate from <see cref="ISessionStore"/>, which serves the request path: a store for another
/// database implements this beside it.
/// </summary>
public interface IConversationLogReader
{
    /// <summary>Logged turns with <paramref name="from"/> ≤ time &lt; <paramref name="to"/> (either bound optional), oldest first.</summary>
    Task<IReadOnlyList<LoggedTurn>> TurnsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken);

    /// <summary>Sessions created in the window, oldest first.</summary>
    Task<IReadOnlyList<LoggedSession>> SessionsAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken);

    /// <summary>Agents' corrected answers stored after <paramref name="after"/> (all when null), oldest first.</summary>
    Task<IReadOnlyList<CorrectedAnswer>> CorrectionsAfterAsync(DateTimeOffset? after, CancellationToken cancellationToken);
}
