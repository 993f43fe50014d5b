using Microsoft.AspNetCore.Identity;

namespace Kefu.Server.Auth;

/// <summary>
/// Agent passwords, hashed with ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, a
/// random salt per password, the iteration count stored in the hash so it can be raised later).
/// </summary>
public static class AgentPasswords
{
    private static readonly PasswordHasher<AgentAccount> Hasher = new();

    /// <summary>The hash to store in an account (base64; different every call because of the salt).</summary>
    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(null!, password);
    }

    /// <summary>Whether <paramref name="password"/> matches the account's hash (constant-time compare inside).</summary>
    public static bool Verify(AgentAccount account, string password)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (string.IsNullOrEmpty(password) || string.IsNullOrEmpty(account.PasswordHash))
            return false;
        try
        {
            return Hasher.VerifyHashedPassword(account, account.PasswordHash, password) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            // A hand-edited hash that is not base64 simply never matches.
            return false;
        }
    }
}
