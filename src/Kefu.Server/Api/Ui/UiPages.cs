using Kefu.Server.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Kefu.Server.Api.Ui;

/// <summary>
/// Serves the pages — the customer chat at <c>/</c> (and <c>/chat</c>), the agent console at <c>/agent</c>, the
/// dashboard at <c>/dashboard</c>, the embeddable <c>/widget.js</c> and a demo shop page that embeds it — from
/// wwwroot files embedded in this assembly, so the server needs no files beside it and no front-end build. Every page
/// gets a strict Content-Security-Policy: scripts and styles from this server only, nothing inline.
/// </summary>
internal static class UiPages
{
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'";

    // The chat page is framed by shop pages (the widget); the agent's and admin's pages never are (clickjacking).
    private const string Frameable = "; frame-ancestors *";
    private const string NotFrameable = "; frame-ancestors 'none'";

    private static readonly IFileProvider Files = new EmbeddedFileProvider(typeof(UiPages).Assembly, "Kefu.Server.wwwroot");

    /// <summary>Static files (before authentication: they are public) and the page routes.</summary>
    public static WebApplication UseKefuUi(this WebApplication app)
    {
        var types = new FileExtensionContentTypeProvider();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = Files,
            ContentTypeProvider = types,
            OnPrepareResponse = context =>
            {
                // Embedded files change with the binary: revalidate (cheap, ETag) rather than cache stale pages.
                context.Context.Response.Headers.CacheControl = "no-cache";
                context.Context.Response.Headers.XContentTypeOptions = "nosniff";
            },
        });
        return app;
    }

    public static WebApplication MapKefuUi(this WebApplication app, KefuServerOptions options)
    {
        if (options.CustomerChannel)
        {
            app.MapPage("/", "index.html", frameable: true);
            app.MapPage("/chat", "index.html", frameable: true);
            app.MapCustomerApi();
        }
        app.MapPage("/agent", "agent.html", frameable: false);
        app.MapPage("/dashboard", "dashboard.html", frameable: false);
        app.MapAgentSignInApi();
        app.MapAgentEventsApi();
        app.MapDashboardApi();
        return app;
    }

    private static void MapPage(this WebApplication app, string route, string file, bool frameable) =>
        app.MapGet(route, (HttpContext http) =>
        {
            var info = Files.GetFileInfo(file);
            if (!info.Exists)
                return Results.NotFound();
            http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy + (frameable ? Frameable : NotFrameable);
            if (!frameable)
                http.Response.Headers.XFrameOptions = "DENY";
            http.Response.Headers.XContentTypeOptions = "nosniff";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["Referrer-Policy"] = "same-origin";
            return Results.Stream(info.CreateReadStream(), "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
}
