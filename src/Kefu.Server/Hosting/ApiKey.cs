namespace Kefu.Server.Hosting;

/// <summary>A client's API key: a name for logs and rate limits, the secret, and whether it may act as an agent.</summary>
/// <param name="Name">Identifies the client (never the secret) in logs and rate-limit partitions.</param>
/// <param name="Key">The secret, sent as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>.</param>
/// <param name="Agent">Whether the key may use the agent endpoints (take over and answer conversations).</param>
public sealed record ApiKey(string Name, string Key, bool Agent);
