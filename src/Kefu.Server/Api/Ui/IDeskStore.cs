namespace Kefu.Server.Api.Ui;

/// <summary>
/// What the pages store and read beside the sessions: customers' satisfaction ratings, and the conversation log as the
/// dashboard reads it. A separate small interface, so the session stores stay as they are; SQLite by default.
/// </summary>
internal interface IDeskStore
{
    /// <summary>Stores a rating; a second rating of the same conversation replaces the first.</summary>
    Task SaveRatingAsync(SatisfactionRating rating, CancellationToken cancellationToken);

    /// <summary>Ratings given since <paramref name="since"/>.</summary>
    Task<IReadOnlyList<SatisfactionRating>> RatingsAsync(DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Logged turns since <paramref name="since"/>, oldest first, at most <paramref name="limit"/> (the newest ones).</summary>
    Task<IReadOnlyList<DeskTurn>> TurnsAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);

    /// <summary>
    /// The customer's question of each bot turn since <paramref name="since"/> that was not answered or was handed to
    /// a person, newest first, at most <paramref name="limit"/>.
    /// </summary>
    Task<IReadOnlyList<UnansweredTurn>> UnansweredAsync(DateTimeOffset since, int limit, CancellationToken cancellationToken);
}

/// <summary>A logged turn as the dashboard counts it.</summary>
internal sealed record DeskTurn(DateTimeOffset At, string SessionId, string Intent, bool Resolved, bool Handoff, double LatencyMilliseconds, string ToolCallsJson);

/// <summary>A question the bot did not answer (or handed off), with its conversation.</summary>
internal sealed record UnansweredTurn(DateTimeOffset At, string SessionId, string Question, bool Handoff);
