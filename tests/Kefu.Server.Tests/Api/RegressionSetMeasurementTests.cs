using System.Globalization;
using System.Text.Json;
using Kefu.Server.Tests.Support;
using Kefu.Testing;

namespace Kefu.Server.Tests.Api;

/// <summary>
/// The demo's held-out regression scenarios (samples/ecommerce/regression.jsonl) played through POST /chat in
/// retrieval-only mode: how many replies contain the expected facts, call the expected tool, and hand off when
/// expected. Printed as a measurement; <c>kefu eval</c> is the full evaluation. Asserted: every turn is served and
/// no reply says anything the scenario forbids.
/// </summary>
public sealed class RegressionSetMeasurementTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RegressionScenarios_RetrievalOnly_ReportPassRates()
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce", "regression.jsonl");
        if (!File.Exists(path))
            Assert.Skip("samples/ecommerce/regression.jsonl is absent.");
        await using var server = await RunningServer.StartDemoAsync();
        int scenarios = 0, factsOk = 0, toolOk = 0, handoffOk = 0, allOk = 0;
        var forbidden = new List<string>();
        foreach (var line in await File.ReadAllLinesAsync(path, TestContext.Current.CancellationToken))
        {
            if (line.Length == 0)
                continue;
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var expect = root.GetProperty("expect");
            string? session = null;
            JsonElement reply = default;
            var tools = new List<(string Name, string Arguments)>();
            foreach (var turn in root.GetProperty("turns").EnumerateArray())
            {
                reply = await Json.PostAsync(server.Http, "chat", new { session_id = session, message = turn.GetString() });
                session = reply.GetProperty("session_id").GetString();
                tools.AddRange(reply.GetProperty("tool_calls").EnumerateArray().Select(c => (c.GetProperty("name").GetString()!, c.GetProperty("arguments").GetString()!)));
            }
            var text = reply.GetProperty("reply").GetString()!;
            var facts = expect.GetProperty("facts").EnumerateArray().All(f => text.Contains(f.GetString()!, StringComparison.Ordinal));
            var tool = expect.TryGetProperty("tool", out var wanted) && wanted.ValueKind == JsonValueKind.Object
                ? tools.Any(t => t.Name == wanted.GetProperty("name").GetString()
                    && wanted.GetProperty("arguments").EnumerateObject().All(a => t.Arguments.Contains(a.Value.GetString()!, StringComparison.Ordinal)))
                : true;
            var handoff = reply.GetProperty("handoff").GetBoolean() == expect.GetProperty("handoff").GetBoolean();
            forbidden.AddRange(expect.GetProperty("must_not_say").EnumerateArray().Select(f => f.GetString()!).Where(f => text.Contains(f, StringComparison.Ordinal)).Select(f => $"{root.GetProperty("id").GetString()}: {f}"));
            scenarios++;
            factsOk += facts ? 1 : 0;
            toolOk += tool ? 1 : 0;
            handoffOk += handoff ? 1 : 0;
            allOk += facts && tool && handoff ? 1 : 0;
            if (!(facts && tool && handoff))
                output.WriteLine($"{root.GetProperty("id").GetString()} facts={facts} tool={tool} handoff={handoff}: {text.ReplaceLineEndings(" ")[..Math.Min(80, text.Length)]}");
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{scenarios} scenarios: facts {factsOk}, expected tool {toolOk}, hand-off as expected {handoffOk}, all three {allOk}"));

        forbidden.ShouldBeEmpty();
    }
}
