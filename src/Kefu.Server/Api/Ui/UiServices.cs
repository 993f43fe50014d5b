using System.Threading.RateLimiting;
using Kefu.Server.Auth;
using Kefu.Server.Hosting;
using Kefu.Service;
using Kefu.Service.Dialogue;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Api.Ui;

/// <summary>Registers what the web pages need: the desk store, the live queue, the order cards and their rate limits.</summary>
internal static class UiServices
{
    /// <summary>Customer messages, per client address.</summary>
    public const string CustomerMessagePolicy = "customer-message";

    /// <summary>Customer reads (restoring or polling a conversation, opening its live stream), per client address.</summary>
    public const string CustomerReadPolicy = "customer-read";

    /// <summary>Sign-in attempts, per client address: slows password guessing to a crawl.</summary>
    public const string SignInPolicy = "sign-in";

    public static IServiceCollection AddKefuUi(this IServiceCollection services, KefuServerOptions options)
    {
        services.AddAdminPolicy();
        // Replaceable: a deployment whose sessions live elsewhere (PostgreSQL) registers its own before this.
        services.TryAddSingleton<IDeskStore>(sp =>
        {
            // The session store creates the log tables the desk store reads: open it first.
            _ = sp.GetRequiredService<ISessionStore>();
            return SqliteDeskStore.Open(Path.Combine(sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value.DataDirectory, "sessions.db"));
        });
        services.AddSingleton<QueueWatcher>();
        services.AddSingleton<CustomerSessionWatcher>();
        services.AddSingleton<OrderCards>();
        services.AddSingleton<SensitiveWordLists>();
        services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(CustomerMessagePolicy, http => PerAddress(http, options.CustomerMessagesPerMinute));
            limiter.AddPolicy(CustomerReadPolicy, http => PerAddress(http, options.CustomerMessagesPerMinute * 4));
            limiter.AddPolicy(SignInPolicy, http => PerAddress(http, 10));
        });
        return services;
    }

    // Behind a reverse proxy every customer shares its address: configure forwarded headers there.
    private static RateLimitPartition<string> PerAddress(HttpContext http, int perMinute) =>
        RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => PerMinuteTokenBucket.Options(perMinute));
}
