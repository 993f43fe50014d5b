using System.Security.Cryptography;
using System.Text;

namespace Kefu.Server.Security;

/// <summary>
/// How API keys are kept at rest: as <c>sha256:HEX</c> digests, never the key. A fast hash is the right tool here
/// (unlike agent passwords, which get PBKDF2): keys are generated with 128+ bits of randomness, so a stolen digest
/// cannot be brute-forced back into a key, and hashing every request's key stays cheap.
/// </summary>
public static class ApiKeyHash
{
    private const string Prefix = "sha256:";

    /// <summary>The SHA-256 digest of a key's UTF-8 bytes.</summary>
    public static byte[] Digest(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key ?? throw new ArgumentNullException(nameof(key))));

    /// <summary>The stored form of a key: <c>sha256:</c> and the lowercase hex digest.</summary>
    public static string Format(string key) => Prefix + Convert.ToHexStringLower(Digest(key));

    /// <summary>The digest in a stored <c>sha256:HEX</c> string, or null when it is not one.</summary>
    public static byte[]? Parse(string? stored)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal) || stored.Length != Prefix.Length + 64)
            return null;
        try
        {
            return Convert.FromHexString(stored.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>Whether a presented key matches a digest, in time that depends on neither's content.</summary>
    public static bool Matches(string presented, ReadOnlySpan<byte> digest) =>
        CryptographicOperations.FixedTimeEquals(Digest(presented), digest);

    /// <summary>A new random key: <c>kf_</c> and 32 random bytes in URL-safe base64 (256 bits).</summary>
    public static string NewKey() =>
        "kf_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
