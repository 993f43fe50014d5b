namespace Kefu.Server.Auth;

/// <summary>A person who signs in to the agent console.</summary>
/// <param name="Name">Sign-in name; also the name the desk records as the claiming agent.</param>
/// <param name="DisplayName">Shown to customers and colleagues ("客服小王").</param>
/// <param name="PasswordHash">The password as <see cref="AgentPasswords.Hash"/> stores it (PBKDF2, salted); never the password.</param>
/// <param name="Admin">Whether the account may open the dashboard (metrics, knowledge, word lists).</param>
public sealed record AgentAccount(string Name, string DisplayName, string PasswordHash, bool Admin = false);
