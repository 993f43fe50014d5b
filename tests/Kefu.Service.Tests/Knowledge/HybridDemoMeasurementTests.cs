using System.Globalization;
using System.Text.Json;
using Kefu.Service.Knowledge;
using Kefu.Service.Tests.Embeddings;
using Kefu.Service.Tests.Support;
using Kefu.Testing;

namespace Kefu.Service.Tests.Knowledge;

/// <summary>
/// BM25 alone against hybrid retrieval on the demo shop's regression questions (samples/ecommerce), with the FAKE
/// embedder (<see cref="BigramBagEmbedder"/>, a hashed character bag, not a real model): a measurement printed to
/// the test output, plus the line that must hold whatever the embedder: fusion never answers an off-topic or
/// unanswerable question, and never answers fewer questions with their fact than BM25 alone.
/// </summary>
public sealed class HybridDemoMeasurementTests(ITestOutputHelper output)
{
    private static readonly double Threshold = new KefuServiceOptions().AnswerThreshold;

    [Fact]
    public async Task RegressionSet_HybridWithFakeEmbedder_AnswersAtLeastAsManyAsBm25_AndNothingOffTopic()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var server = await FakeEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        var hybrid = HybridKnowledge.Open(temp, await HybridKnowledge.SourceAsync(server), calibration: HybridKnowledge.DemoCalibration);
        await new KnowledgeImporter(hybrid).ImportAsync(DemoShopData.KnowledgePaths(), ct);
        var bm25 = SqliteKnowledgeBase.Open(temp.File("kb.db"));
        var lines = await File.ReadAllLinesAsync(DemoShopData.Require("regression.jsonl"), ct);

        var tally = new Dictionary<string, int>(StringComparer.Ordinal);
        var wronglyAnswered = new List<string>();
        foreach (var line in lines.Where(l => l.Length > 0))
        {
            using var record = JsonDocument.Parse(line);
            var root = record.RootElement;
            var question = root.GetProperty("turns").EnumerateArray().Last().GetString()!;
            var tags = root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList();
            var expect = root.GetProperty("expect");
            var outside = tags.Contains("offtopic")
                || (tags.Contains("unanswerable") && !(expect.TryGetProperty("faq", out var page) && page.ValueKind == JsonValueKind.String));
            var facts = expect.TryGetProperty("facts", out var f) ? f.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
            foreach (var (name, kb) in new[] { ("bm25", bm25), ("hybrid", hybrid) })
            {
                var hits = await kb.SearchAsync(question, 1, ct);
                var answered = hits.Count > 0 && hits[0].Confidence >= Threshold;
                var withFact = answered && facts.Count > 0 && facts.Any(fact => (hits[0].Title + hits[0].Text).Contains(fact, StringComparison.Ordinal));
                Count(tally, name + ".answered", answered);
                Count(tally, name + ".with-fact", withFact && !outside);
                Count(tally, name + ".outside-answered", answered && outside);
                if (answered && outside && name == "hybrid")
                    wronglyAnswered.Add(question);
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-6} {root.GetProperty("id").GetString()} {(hits.Count == 0 ? 0 : hits[0].Confidence):F2} cos {(hits.Count == 0 ? 0 : hits[0].Similarity ?? 0):F2} {(outside ? "OUT" : "in")} {(answered ? "answer" : "dont-know")}{(withFact ? "+fact" : "")} {question} -> {(hits.Count == 0 ? "-" : hits[0].Title)}"));
            }
        }
        Count(tally, "questions", true);
        var questions = lines.Count(l => l.Length > 0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{questions} questions; answered BM25 {tally.GetValueOrDefault("bm25.answered")} / hybrid {tally.GetValueOrDefault("hybrid.answered")}; " +
            $"answered with an expected fact BM25 {tally.GetValueOrDefault("bm25.with-fact")} / hybrid {tally.GetValueOrDefault("hybrid.with-fact")}; " +
            $"off-topic or unanswerable answered BM25 {tally.GetValueOrDefault("bm25.outside-answered")} / hybrid {tally.GetValueOrDefault("hybrid.outside-answered")}"));

        wronglyAnswered.ShouldBeEmpty();
        tally.GetValueOrDefault("hybrid.with-fact").ShouldBeGreaterThanOrEqualTo(tally.GetValueOrDefault("bm25.with-fact"));
    }

    private static void Count(Dictionary<string, int> tally, string key, bool when)
    {
        if (when)
            tally[key] = tally.GetValueOrDefault(key) + 1;
    }
}
