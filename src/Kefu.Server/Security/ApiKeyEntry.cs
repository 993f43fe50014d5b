namespace Kefu.Server.Security;

/// <summary>One API key as the keys file stores it: who it is for, what it may do, and its digest (never the key).</summary>
/// <param name="Name">The client's name (logs, rate limits, the agent name of agent keys).</param>
/// <param name="Role"><c>customer</c> (chat and OpenAI endpoints) or <c>agent</c> (also the agent desk and dashboard).</param>
/// <param name="Hash">The key's digest as <see cref="ApiKeyHash.Format"/> writes it.</param>
/// <param name="CreatedAt">When the key was made.</param>
/// <param name="RevokedAt">When it was revoked; a revoked key is kept for the record but accepted no more.</param>
public sealed record ApiKeyEntry(string Name, string Role, string Hash, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt = null)
{
    public const string CustomerRole = "customer";
    public const string AgentRole = "agent";

    public bool Revoked => RevokedAt is not null;
}
