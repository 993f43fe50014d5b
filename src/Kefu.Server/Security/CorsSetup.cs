using Kefu.Server.Hosting;

namespace Kefu.Server.Security;

/// <summary>
/// Cross-origin calls from browsers, for the shop's own site embedding the chat widget: only the configured origins
/// (<see cref="KefuServerOptions.CorsOrigins"/>), only GET/POST, only the headers the API reads, no cookies (the
/// agent console's cookie never goes cross-site). With no origins configured there is no CORS policy at all, so
/// browsers refuse every cross-origin call.
/// </summary>
internal static class CorsSetup
{
    private static readonly string[] AllowedHeaders = ["Authorization", "Content-Type", "X-Api-Key", "X-Kefu-Session-Id"];

    public static IServiceCollection AddKefuCors(this IServiceCollection services, KefuServerOptions options)
    {
        var origins = options.CorsOrigins.Select(Normalize).ToArray();
        services.AddCors(cors =>
        {
            if (origins.Length > 0)
            {
                cors.AddDefaultPolicy(policy => policy.WithOrigins(origins).WithMethods("GET", "POST").WithHeaders(AllowedHeaders)
                    .WithExposedHeaders("Retry-After").SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
            }
        });
        return services;
    }

    public static IApplicationBuilder UseKefuCors(this IApplicationBuilder app, KefuServerOptions options) =>
        options.CorsOrigins.Count > 0 ? app.UseCors() : app;

    /// <summary>An origin as browsers send it (scheme://host[:port], no path or trailing slash); anything else fails start-up.</summary>
    internal static string Normalize(string origin)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.PathAndQuery is not ("/" or ""))
            throw new InvalidOperationException($"CORS origin \"{origin}\" is not an origin: give scheme://host[:port], e.g. https://shop.example.com.");
        return uri.GetLeftPart(UriPartial.Authority);
    }
}
