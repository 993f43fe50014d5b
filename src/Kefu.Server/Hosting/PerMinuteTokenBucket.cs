using System.Threading.RateLimiting;

namespace Kefu.Server.Hosting;

/// <summary>
/// A token bucket that lets <c>perMinute</c> requests a minute through, bursting up to that many. Refilling
/// "perMinute / 60 tokens every second" rounds: a small limit came back as 60 a minute (2/min became 1/s) and 80/min
/// as 60. Here each period brings ⌊perMinute/60⌋ tokens (at least one) and lasts exactly as long as that share of the
/// minute, rounded up to a whole tick — so the refill is the limit to within a tick, and never above it.
/// </summary>
internal static class PerMinuteTokenBucket
{
    public static TokenBucketRateLimiterOptions Options(int perMinute)
    {
        var limit = Math.Max(1, perMinute);
        var tokens = Math.Max(1, limit / 60);
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = limit,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromTicks((TimeSpan.TicksPerMinute * tokens + limit - 1) / limit),
            QueueLimit = 0,
            AutoReplenishment = true,
        };
    }
}
