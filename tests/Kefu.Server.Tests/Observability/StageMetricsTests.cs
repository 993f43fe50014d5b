using System.Text.RegularExpressions;
using Kefu.Server.Tests.Support;

namespace Kefu.Server.Tests.Observability;

/// <summary>/metrics carries the per-stage latency histogram and what resolution and hand-off rates are computed from.</summary>
public sealed partial class StageMetricsTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    [Fact]
    public async Task Metrics_AfterAFewTurns_HaveStageDurationBucketsPerStage()
    {
        foreach (var message in new[] { "怎么开发票？", "ORD12345到哪了", "退货运费谁出？" })
            await Json.PostAsync(fixture.Server.Http, "chat", new { message });
        using var anonymous = fixture.Server.Client(null);

        var text = await anonymous.GetStringAsync("metrics", TestContext.Current.CancellationToken);

        var stages = BucketStage().Matches(text).Select(m => m.Groups["stage"].Value).ToHashSet();
        foreach (var stage in new[] { "input_guard", "route", "search", "respond", "tool", "output_guard", "handoff" })
            stages.ShouldContain(stage);
        // Sub-millisecond buckets exist: the guards take microseconds.
        text.ShouldContain("le=\"0.0001\"");
        // Resolution rate = kefu_turns_total{resolved="true"} / kefu_turns_total; hand-off rate from kefu_handoffs_total.
        text.ShouldMatch("kefu_turns_total\\{[^}]*resolved=\"true\"");
    }

    [GeneratedRegex("^kefu_stage_duration_seconds_bucket\\{[^}]*stage=\"(?<stage>[a-z_]+)\"", RegexOptions.Multiline)]
    private static partial Regex BucketStage();
}
