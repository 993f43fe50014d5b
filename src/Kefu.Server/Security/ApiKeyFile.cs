using System.Text.Json;
using System.Text.Json.Serialization;
using Kefu.Server.Hosting;

namespace Kefu.Server.Security;

/// <summary>
/// The keys file (<c>kefu keys add|list|revoke --file keys.json</c>, <c>kefu serve --keys-file keys.json</c>): API keys
/// as digests, so the file can be read by whoever runs the server without giving away a single key. Written
/// atomically (temp file, then rename). Bad content fails with the file's name and the entry at fault.
/// </summary>
public static class ApiKeyFile
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The entries of the file, or none when it does not exist yet.</summary>
    public static IReadOnlyList<ApiKeyEntry> Read(string path)
    {
        if (!File.Exists(path))
            return [];
        KeysDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<KeysDocument>(File.ReadAllBytes(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a keys file ({e.Message})", e);
        }
        var entries = document?.Keys ?? throw new InvalidDataException($"{path}: no \"keys\" list");
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (string.IsNullOrWhiteSpace(entry.Name))
                throw new InvalidDataException($"{path}: keys[{i}]: field \"name\" is missing");
            if (entry.Role is not (ApiKeyEntry.CustomerRole or ApiKeyEntry.AgentRole))
                throw new InvalidDataException($"{path}: keys[{i}] ({entry.Name}): field \"role\" must be \"customer\" or \"agent\", not \"{entry.Role}\"");
            if (ApiKeyHash.Parse(entry.Hash) is null)
                throw new InvalidDataException($"{path}: keys[{i}] ({entry.Name}): field \"hash\" must be sha256: and 64 hex digits");
        }
        return entries;
    }

    /// <summary>The keys the server accepts: the file's entries that are not revoked.</summary>
    public static IReadOnlyList<ApiKey> LoadActive(string path) =>
        [.. Read(path).Where(e => !e.Revoked).Select(e => ApiKey.FromDigest(e.Name, ApiKeyHash.Parse(e.Hash)!, e.Role == ApiKeyEntry.AgentRole))];

    /// <summary>Adds a new key for <paramref name="name"/> and returns it: the only time the key itself is ever shown.</summary>
    public static string Add(string path, string name, string role, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A key needs a name.");
        if (role is not (ApiKeyEntry.CustomerRole or ApiKeyEntry.AgentRole))
            throw new ArgumentException($"The role must be customer or agent, not \"{role}\".");
        var entries = Read(path).ToList();
        if (entries.Any(e => e.Name == name && !e.Revoked))
            throw new ArgumentException($"{path} already has an active key named {name}; revoke it first.");
        var key = ApiKeyHash.NewKey();
        entries.Add(new ApiKeyEntry(name, role, ApiKeyHash.Format(key), time.GetUtcNow()));
        Write(path, entries);
        return key;
    }

    /// <summary>Revokes the active key named <paramref name="name"/>; false when there is none.</summary>
    public static bool Revoke(string path, string name, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var entries = Read(path).ToList();
        var index = entries.FindIndex(e => e.Name == name && !e.Revoked);
        if (index < 0)
            return false;
        entries[index] = entries[index] with { RevokedAt = time.GetUtcNow() };
        Write(path, entries);
        return true;
    }

    private static void Write(string path, List<ApiKeyEntry> entries)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp";
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(new KeysDocument(entries), Json));
        // Owner-only: digests are not keys, but nobody else needs to read the list of clients.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, full, overwrite: true);
    }

    private sealed record KeysDocument(List<ApiKeyEntry>? Keys);
}
