using System.Diagnostics;
using Kefu.Safety.Replies;
using Kefu.Server.Tests.Support;
using Kefu.Service.Guarding;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Server.Tests.Guarding;

/// <summary>
/// Measures what the guardrails add to a turn (input guard + output guard with anomaly checks, demo lexicon) over a
/// few hundred real turns' texts. Printed, not asserted: the figure depends on the machine.
/// </summary>
public sealed class GuardrailLatencyMeasurementTests(DemoServerFixture fixture) : IClassFixture<DemoServerFixture>
{
    [Fact]
    public async Task GuardrailsAddedLatencyPerTurn_IsMeasured()
    {
        var server = fixture.Server;
        var guardrails = server.App.Services.GetRequiredService<Guardrails>();
        var questions = new[] { "怎么开发票？", "退货运费谁出？", "ORD12345到哪了", "金卡会员有什么权益", "优惠券能叠加吗", "花呗分期免息吗" };
        var turns = new List<(string Message, string Reply)>();
        for (var i = 0; i < 300; i++)
        {
            var message = questions[i % questions.Length];
            var turn = await Json.PostAsync(server.Http, "chat", new { message });
            turns.Add((message, turn.GetProperty("reply").GetString()!));
        }

        foreach (var (message, reply) in turns.Take(20))
            guardrails.CheckOutput(reply, new ReplyContext(guardrails.CheckInput(message).Text)); // warm-up
        var samples = new List<double>(turns.Count);
        foreach (var (message, reply) in turns)
        {
            var started = Stopwatch.GetTimestamp();
            var input = guardrails.CheckInput(message);
            guardrails.CheckOutput(reply, new ReplyContext(input.Text));
            samples.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        samples.Sort();
        var p50 = samples[samples.Count / 2];
        var p95 = samples[(int)(samples.Count * 0.95)];
        TestContext.Current.TestOutputHelper?.WriteLine($"guardrails per turn over {samples.Count} turns: p50 {p50:F1} µs, p95 {p95:F1} µs, max {samples[^1]:F1} µs");
        Console.WriteLine($"guardrails per turn over {samples.Count} turns: p50 {p50:F1} µs, p95 {p95:F1} µs, max {samples[^1]:F1} µs");
        samples.Count.ShouldBe(300);
    }
}
