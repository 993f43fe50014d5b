namespace Kefu.Server.Hosting;

/// <summary>A client's API key: a name for logs and rate limits, the secret, and whether it may act as an agent.</summary>
/// <param name="Name">Identifies the client (never the secret) in logs and rate-limit partitions.</param>
/// <param name="Key">
/// The secret, sent as <c>Authorization: Bearer KEY</c> or <c>X-Api-Key: KEY</c>; empty for a key loaded from a keys
/// file, which holds only its digest (<see cref="FromDigest"/>).
/// </param>
/// <param name="Agent">Whether the key may use the agent endpoints (take over and answer conversations).</param>
public sealed record ApiKey(string Name, string Key, bool Agent)
{
    /// <summary>The SHA-256 digest requests are compared with (in constant time); the key itself is not needed.</summary>
    public byte[] Digest { get; init; } = Security.ApiKeyHash.Digest(Key);

    /// <summary>A key known only by its digest, as a keys file stores it.</summary>
    public static ApiKey FromDigest(string name, byte[] digest, bool agent) => new(name, "", agent) { Digest = digest };

    /// <summary>The name and role only: a key printed to a log must not print its secret.</summary>
    public override string ToString() => $"ApiKey {Name} ({(Agent ? "agent" : "customer")})";
}
