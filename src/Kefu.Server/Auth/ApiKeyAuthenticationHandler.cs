using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Auth;

/// <summary>
/// Authenticates a request by its API key (<c>Authorization: Bearer KEY</c>, as OpenAI clients send it, or
/// <c>X-Api-Key: KEY</c>). Keys are compared as SHA-256 digests in constant time, so neither the length nor the
/// content of a key leaks through timing. Failures are answered with ProblemDetails.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options, ILoggerFactory logger, UrlEncoder encoder, IProblemDetailsService problems)
    : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, logger, encoder)
{
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey();
        if (presented is null)
            return Task.FromResult(AuthenticateResult.NoResult());
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        foreach (var key in Options.Keys)
        {
            // Configured keys are held as digests (keys files store nothing else), compared in constant time.
            if (!CryptographicOperations.FixedTimeEquals(digest, key.Digest))
                continue;
            var claims = new List<Claim> { new(ClaimTypes.Name, key.Name) };
            if (key.Agent)
                claims.Add(new Claim(ClaimTypes.Role, ApiKeyAuthenticationOptions.AgentRole));
            var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, ApiKeyAuthenticationOptions.Scheme));
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, ApiKeyAuthenticationOptions.Scheme)));
        }
        return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        var detail = PresentedKey() is null
            ? "Send an API key as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'."
            : "The API key is not valid.";
        await WriteProblemAsync("Unauthorized", detail).ConfigureAwait(false);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await WriteProblemAsync("Forbidden", "This API key may not use the agent endpoints.").ConfigureAwait(false);
    }

    private string? PresentedKey()
    {
        var authorization = Request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        var header = Request.Headers["X-Api-Key"].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }

    private Task WriteProblemAsync(string title, string detail) =>
        problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = Response.StatusCode, Title = title, Detail = detail },
        }).AsTask();
}
