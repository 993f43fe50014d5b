using System.Threading.RateLimiting;
using Kefu.Server.Hosting;

namespace Kefu.Server.Tests.Security;

public sealed class PerMinuteTokenBucketTests
{
    [Theory]
    [InlineData(2, 1, 30.0)]
    [InlineData(20, 1, 3.0)]
    [InlineData(60, 1, 1.0)]
    [InlineData(80, 1, 0.75)]
    [InlineData(120, 2, 1.0)]
    public void Options_RefillMatchesTheLimit(int perMinute, int tokens, double seconds)
    {
        var options = PerMinuteTokenBucket.Options(perMinute);

        options.TokenLimit.ShouldBe(perMinute);
        options.TokensPerPeriod.ShouldBe(tokens);
        options.ReplenishmentPeriod.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void Options_AnyLimit_RefillsItPerMinuteNeverMore()
    {
        foreach (var perMinute in Enumerable.Range(1, 600).Append(100_000))
        {
            var options = PerMinuteTokenBucket.Options(perMinute);
            var perMinuteRefill = options.TokensPerPeriod * (TimeSpan.FromMinutes(1) / options.ReplenishmentPeriod);
            perMinuteRefill.ShouldBeLessThanOrEqualTo(perMinute, $"limit {perMinute}/min");
            perMinuteRefill.ShouldBeGreaterThan(perMinute * 0.9999, $"limit {perMinute}/min");
        }
    }

    [Fact]
    public void Limiter_AfterTheBurst_Refuses()
    {
        using var limiter = new TokenBucketRateLimiter(PerMinuteTokenBucket.Options(2));

        limiter.AttemptAcquire().IsAcquired.ShouldBeTrue();
        limiter.AttemptAcquire().IsAcquired.ShouldBeTrue();
        limiter.AttemptAcquire().IsAcquired.ShouldBeFalse("the next token is 30 s away");
    }
}
