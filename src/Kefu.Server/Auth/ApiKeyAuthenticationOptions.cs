using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authentication;

namespace Kefu.Server.Auth;

/// <summary>The keys the <see cref="ApiKeyAuthenticationHandler"/> accepts.</summary>
internal sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions
{
    public const string Scheme = "ApiKey";
    public const string AgentRole = "agent";

    public IReadOnlyList<ApiKey> Keys { get; set; } = [];
}
