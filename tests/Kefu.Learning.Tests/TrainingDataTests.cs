using System.Text.Json;
using Kefu.Learning.Harvesting;
using Kefu.Learning.Review;
using Kefu.Learning.Training;
using Kefu.Safety.Pii;
using Kefu.Testing;

namespace Kefu.Learning.Tests;

/// <summary>The learned records through kefu data build's renderer with the real Qwen2 tokenizer, beside the demo data.</summary>
public sealed class TrainingDataTests
{
    [Fact]
    public void BuildTrainingFolder_DemoDataPlusApprovedRecords_TrainsOnEveryLearnedRecordAndHoldsNoneOut()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var records = new Harvester().Harvest(HarvesterTests.CorrectionsWithPii(), []).Records;
        var review = temp.File("review.jsonl");
        ReviewFile.Write(review, records, systemPrompt: "你是青禾优选的智能客服小禾。");
        ReviewFile.ApproveAll(review);
        var learned = temp.File("learned.messages.jsonl");
        File.WriteAllLines(learned, ReviewFile.ApprovedRecords(review));

        new AdapterContinuation(tokenizer).BuildTrainingFolder([Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce")], learned, temp.File("data"), TestContext.Current.CancellationToken);

        static List<string> Ids(string file) => [.. File.ReadLines(file).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!)];
        var train = Ids(temp.File("data/train.jsonl"));
        train.Count(id => id.StartsWith("learn-", StringComparison.Ordinal)).ShouldBe(3);
        train.Count.ShouldBeGreaterThan(100);   // the replayed demo data
        Ids(temp.File("data/eval.jsonl")).ShouldNotContain(id => id.StartsWith("learn-", StringComparison.Ordinal));
        var learnedLines = File.ReadLines(temp.File("data/train.jsonl")).Where(l => l.Contains("\"learn-", StringComparison.Ordinal)).ToList();
        PiiScanner.Default.Scan(string.Join("\n", learnedLines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("messages").GetRawText()))).ShouldBeEmpty();
        File.Exists(temp.File("data/dataset.json")).ShouldBeTrue();
    }
}
