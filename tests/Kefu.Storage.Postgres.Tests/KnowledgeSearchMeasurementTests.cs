using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kefu.Service.Knowledge;
using Kefu.Storage.Postgres.Tests.Support;
using Kefu.Testing;

namespace Kefu.Storage.Postgres.Tests;

/// <summary>Knowledge search latency on the demo knowledge, PostgreSQL beside SQLite (printed, not asserted).</summary>
public sealed class KnowledgeSearchMeasurementTests(SharedPostgresCluster cluster, ITestOutputHelper output) : IDisposable
{
    private static readonly string Samples = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");
    private readonly TempDirectory _temp = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SequentialSearches_DemoRegressionQuestions_LatencyPrinted()
    {
        string[] paths = [Path.Combine(Samples, "knowledge"), Path.Combine(Samples, "data", "faq.csv")];
        var questions = File.ReadLines(Path.Combine(Samples, "regression.jsonl"))
            .Select(line => JsonDocument.Parse(line).RootElement.GetProperty("turns")[0].GetString()!).ToList();
        var sqlite = SqliteKnowledgeBase.Open(_temp.File("knowledge.db"));
        await new KnowledgeImporter(sqlite).ImportAsync(paths, Ct);
        await using var database = PostgresDatabase.Open(await cluster.CreateDatabaseAsync());
        var postgres = new PostgresKnowledgeBase(database);
        await new KnowledgeImporter(postgres).ImportAsync(paths, Ct);

        foreach (var (name, kb) in new (string, IKnowledgeBase)[] { ("sqlite", sqlite), ("postgres", postgres) })
        {
            foreach (var question in questions)
                await kb.SearchAsync(question, 5, Ct);   // warm-up: JIT, statistics caches, connection pool
            var latencies = new List<double>();
            foreach (var question in questions.Concat(questions))
            {
                var started = Stopwatch.GetTimestamp();
                (await kb.SearchAsync(question, 5, Ct)).ShouldNotBeNull();
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            latencies.Sort();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name}: {latencies.Count} searches, p50 {latencies[latencies.Count / 2]:F2} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:F2} ms"));
        }
    }

    public void Dispose() => _temp.Dispose();
}
