namespace Kefu.Server.Security;

/// <summary>
/// Response headers that keep browsers from misusing the API's answers: no MIME sniffing, no referrer leaking session
/// ids in URLs, and — for everything that is not a web page — no framing and no active content at all
/// (<c>Content-Security-Policy: default-src 'none'</c>). Web pages (text/html) set their own policy.
/// </summary>
internal static class SecurityHeaders
{
    public const string ApiContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(static (http, next) =>
        {
            http.Response.OnStarting(static state =>
            {
                var response = ((HttpContext)state).Response;
                var headers = response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                var isPage = response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true;
                if (!isPage && !headers.ContainsKey("Content-Security-Policy"))
                {
                    headers.ContentSecurityPolicy = ApiContentSecurityPolicy;
                    headers.XFrameOptions = "DENY";
                }
                return Task.CompletedTask;
            }, http);
            return next(http);
        });
}
