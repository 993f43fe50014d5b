using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kefu.Service.Diagnostics;
using Kefu.Service.Dialogue;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Service.Tests.Diagnostics;

public sealed class StageSpanTests
{
    [Fact]
    public void BeginStage_WhenDisposed_RecordsTheStageDurationAndASpanWithTags()
    {
        var meterName = "Kefu.Service.Test" + Guid.NewGuid().ToString("N");
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ServiceMetrics(services.GetRequiredService<IMeterFactory>(), meterName);
        var measured = new ConcurrentQueue<(double Seconds, string? Stage)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName && instrument.Name == "kefu.stage.duration")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        meterListener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
            measured.Enqueue((value, tags.ToArray().FirstOrDefault(t => t.Key == "stage").Value as string)));
        meterListener.Start();
        var spans = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ServiceTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(activityListener);

        Activity? current;
        using (var stage = metrics.BeginStage(StageNames.Search))
        {
            stage.Tag("kefu.search.hits", 2);
            current = stage.Activity;
            Thread.Sleep(2);
        }

        current.ShouldNotBeNull();
        var span = spans.Single(s => s.SpanId == current.SpanId);
        span.OperationName.ShouldBe("kefu.search");
        span.GetTagItem("kefu.search.hits").ShouldBe(2);
        var (seconds, stageName) = measured.ShouldHaveSingleItem();
        stageName.ShouldBe("search");
        seconds.ShouldBeGreaterThanOrEqualTo(0.002);
    }

    [Fact]
    public void BeginStage_WithNoListener_StillRecordsTheDuration()
    {
        var meterName = "Kefu.Service.Test" + Guid.NewGuid().ToString("N");
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new ServiceMetrics(services.GetRequiredService<IMeterFactory>(), meterName);
        var count = 0;
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == meterName && instrument.Name == "kefu.stage.duration")
                    listener.EnableMeasurementEvents(instrument);
            },
        };
        meterListener.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref count));
        meterListener.Start();

        metrics.BeginStage(StageNames.InputGuard).Dispose();

        count.ShouldBe(1);
    }

    [Theory]
    [InlineData("rule tracking: \"到哪了\"", "rule tracking: \"…\"")]
    [InlineData("rule change address: \"改成上海市13812345678\"; strong negative sentiment", "rule change address: \"…\"; strong negative sentiment")]
    [InlineData("knowledge confidence 0.81 >= 0.55 (退货运费谁承担)", "knowledge confidence 0.81 >= 0.55 (退货运费谁承担)")]
    [InlineData("model label Knowledge, knowledge confidence 0.20 (客服电话 13812345678)", "model label Knowledge, knowledge confidence 0.20 (客服电话 138****5678)")]
    public void SpanReason_DropsQuotedCustomerTextAndMasksPersonalData(string reason, string expected) =>
        TurnSpanTags.Reason(reason).ShouldBe(expected);
}
