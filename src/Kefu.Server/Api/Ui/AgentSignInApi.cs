using System.Security.Claims;
using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// Agent sign-in for the console: <c>POST /api/agent/sign-in {name, password}</c> sets the HttpOnly, SameSite=Strict
/// cookie; <c>POST /api/agent/sign-out</c> clears it; <c>GET /api/agent/me</c> says who is signed in. Attempts are
/// rate-limited per client address, and an unknown name costs the same hashing time as a wrong password.
/// </summary>
internal static class AgentSignInApi
{
    // Verified against when the name is unknown, so timing does not tell which names exist.
    private static readonly AgentAccount Nobody = new("", "", AgentPasswords.Hash(Guid.NewGuid().ToString()));

    public static void MapAgentSignInApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/agent");
        group.MapPost("/sign-in", SignInAsync).AllowAnonymous().RequireRateLimiting(UiServices.SignInPolicy);
        group.MapPost("/sign-out", async (HttpContext http) =>
        {
            await http.SignOutAsync(AgentSignIn.CookieScheme).ConfigureAwait(false);
            return TypedResults.NoContent();
        }).AllowAnonymous();
        group.MapGet("/me", (ClaimsPrincipal user) => TypedResults.Ok(new SignedInAgent(
            user.Identity!.Name!, user.FindFirstValue(AgentSignIn.DisplayNameClaim) ?? user.Identity.Name!, user.IsInRole(AgentSignIn.AdminRole))))
            .RequireAuthorization(ServerBuilderExtensions.AgentPolicy);
    }

    private static async Task<Results<Ok<SignedInAgent>, ValidationProblem, ProblemHttpResult>> SignInAsync(
        SignInRequest request, HttpContext http, KefuServerOptions options)
    {
        if (string.IsNullOrWhiteSpace(request.Name) || string.IsNullOrEmpty(request.Password))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Give a name and a password."] });
        var account = options.AgentAccounts.FirstOrDefault(a => string.Equals(a.Name, request.Name.Trim(), StringComparison.Ordinal));
        var valid = AgentPasswords.Verify(account ?? Nobody, request.Password) && account is not null;
        if (!valid)
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Sign-in failed", detail: "Wrong name or password.");
        await http.SignInAsync(AgentSignIn.CookieScheme, AgentSignIn.Principal(account!)).ConfigureAwait(false);
        return TypedResults.Ok(new SignedInAgent(account!.Name, account.DisplayName, account.Admin));
    }
}

/// <summary>Body of <c>POST /api/agent/sign-in</c>.</summary>
internal sealed record SignInRequest(string? Name, string? Password);

/// <summary>Who is signed in.</summary>
internal sealed record SignedInAgent(string Name, string DisplayName, bool Admin);
