using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;

namespace Kefu.Server.Auth;

/// <summary>
/// Agent sign-in for the web pages: a cookie beside the API keys. Requests that carry a key (<c>Authorization</c>
/// or <c>X-Api-Key</c>) are authenticated by the key, others by the cookie; both give the same agent role, so the
/// agent endpoints serve scripts and the console alike. Admin accounts (and agent API keys, the operator's) may
/// use the dashboard.
/// </summary>
internal static class AgentSignIn
{
    /// <summary>The default scheme: picks the API key or the cookie per request.</summary>
    public const string Scheme = "KefuAuth";
    public const string CookieScheme = "AgentCookie";
    public const string CookieName = "kefu_agent";
    public const string AdminRole = "admin";
    public const string AdminPolicy = "admin";
    public const string DisplayNameClaim = "kefu:display_name";

    /// <summary>
    /// Cookie-authenticated writes must carry this header. A cross-site form cannot set it, and a cross-site script
    /// cannot send it without a CORS preflight that the server never approves: so a page elsewhere cannot make a
    /// signed-in agent's browser reply, claim or upload.
    /// </summary>
    public const string CsrfHeader = "X-Kefu-Csrf";

    public static AuthenticationBuilder AddAgentSignIn(this AuthenticationBuilder authentication)
    {
        authentication.AddPolicyScheme(Scheme, "API key or agent cookie", policy => policy.ForwardDefaultSelector = http =>
            http.Request.Headers.ContainsKey("Authorization") || http.Request.Headers.ContainsKey("X-Api-Key")
                || !http.Request.Cookies.ContainsKey(CookieName)
                ? ApiKeyAuthenticationOptions.Scheme
                : CookieScheme);
        authentication.AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(12);
            cookie.SlidingExpiration = true;
            // An API, not a site with a login page: answer 401/403 instead of redirecting.
            cookie.Events.OnRedirectToLogin = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status401Unauthorized,
                "Unauthorized", "Sign in at /agent first.");
            cookie.Events.OnRedirectToAccessDenied = context => WriteProblemAsync(context.HttpContext, StatusCodes.Status403Forbidden,
                "Forbidden", "This account may not use this page.");
            cookie.Events.OnValidatePrincipal = context =>
            {
                var request = context.HttpContext.Request;
                if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method) && !HttpMethods.IsOptions(request.Method)
                    && request.Headers[CsrfHeader] != "1")
                    context.RejectPrincipal();
                return Task.CompletedTask;
            };
        });
        return authentication;
    }

    /// <summary>The dashboard's policy: an admin account, or an API key with the agent role (the operator's own key).</summary>
    public static void AddAdminPolicy(this IServiceCollection services) =>
        services.AddAuthorizationBuilder().AddPolicy(AdminPolicy, policy => policy.RequireAssertion(context =>
            context.User.IsInRole(AdminRole)
            || (context.User.Identity?.AuthenticationType == ApiKeyAuthenticationOptions.Scheme && context.User.IsInRole(ApiKeyAuthenticationOptions.AgentRole))));

    /// <summary>The signed-in principal of an account: its name, display name, the agent role and admin when it has it.</summary>
    public static ClaimsPrincipal Principal(AgentAccount account)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, account.Name),
            new(DisplayNameClaim, account.DisplayName),
            new(ClaimTypes.Role, ApiKeyAuthenticationOptions.AgentRole),
        };
        if (account.Admin)
            claims.Add(new Claim(ClaimTypes.Role, AdminRole));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, CookieScheme));
    }

    private static Task WriteProblemAsync(HttpContext http, int status, string title, string detail)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        }).AsTask();
    }
}
