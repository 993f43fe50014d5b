using System.Text.Json;
using Kefu.Cli.Tests.Support;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Evaluation;

/// <summary>
/// <c>kefu learn run</c> through every real step on a tiny random Qwen2 with the real vocabulary and tokenizer:
/// harvest → review → approve → render with kefu data build → continue a LoRA adapter → evaluate both on a regression
/// set (bare model) → gate → promote, and the run report.
/// </summary>
public sealed class LearnRunCommandTests
{
    [Fact]
    public async Task LearnRun_ApprovedCorrectionOnTinyRealVocabularyModel_TrainsEvaluatesAndPromotesWithExitZero()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var ct = TestContext.Current.CancellationToken;
        var model = WriteTinyModel(temp, tokenizer);

        using (var store = SqliteSessionStore.Open(temp.File("data/sessions.db"), TimeProvider.System))
        {
            await store.SaveCorrectionAsync(new CorrectedAnswer("s_1", "新疆包邮吗？我电话13800001234", null, "新疆、西藏、青海不参加包邮，每单加收15元运费。", "wang", DateTimeOffset.UtcNow), ct);
        }
        File.WriteAllLines(temp.File("regression.jsonl"),
        [
            """{"id":"r1","turns":["新疆包邮吗"],"expect":{"facts":["15元"],"must_not_say":["包邮"]},"tags":["shipping"]}""",
            """{"id":"r2","turns":["几点有人工"],"expect":{"facts":["9:00"]},"tags":["hours"]}""",
        ]);
        var config = temp.File("learn.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["conversation_log"] = "data/sessions.db", ["learn_dir"] = "learn", ["model"] = "model", ["regression"] = "regression.jsonl",
            ["data"] = Array.Empty<string>(), ["max_new_tokens"] = 12, ["gate_metrics"] = new[] { "resolution", "safety", "fact_coverage" },
        }));

        var (first, output1, _) = await CliRun.RunSplitAsync("learn", "run", "--config", config);
        first.ShouldBe(3, output1);   // harvested into a review file, nothing approved yet
        var review = Directory.GetFiles(temp.File("learn/review")).Single();
        (await File.ReadAllTextAsync(review, ct)).ShouldNotContain("13800001234");
        (await CliRun.RunSplitAsync("learn", "approve", review)).ExitCode.ShouldBe(0);

        var (second, output2, _) = await CliRun.RunSplitAsync("learn", "run", "--config", config);
        second.ShouldBe(0, output2);
        output2.ShouldContain("promoted");
        var registry = JsonDocument.Parse(await File.ReadAllTextAsync(temp.File("learn/adapters/registry.json"), ct)).RootElement;
        registry.GetProperty("current").GetString().ShouldBe("v0001");
        File.Exists(temp.File("learn/adapters/v0001/adapter_model.safetensors")).ShouldBeTrue();
        var run = Directory.GetDirectories(temp.File("learn/runs")).Select(d => Path.Combine(d, "learn.json")).Where(File.Exists)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).Single(r => r.GetProperty("outcome").GetString() == "promoted");
        run.GetProperty("approved_merged").GetInt32().ShouldBe(1);
        run.GetProperty("candidate_metrics").TryGetProperty("resolution", out _).ShouldBeTrue();
        run.GetProperty("gate").GetArrayLength().ShouldBe(3);
    }

    [Fact]
    public async Task Eval_InProcessDemoServerAnsweringWithATinyModel_RunsEveryScenarioThroughTheModelPath()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var model = WriteTinyModel(temp, tokenizer);
        File.WriteAllLines(temp.File("regression.jsonl"),
        [
            """{"id":"r1","turns":["退货运费谁出？"],"expect":{"facts":["运费险"]},"tags":["returns"]}""",
            """{"id":"r2","turns":["我要转人工"],"expect":{"handoff":true},"tags":["handoff"]}""",
        ]);
        var (exit, output, _) = await CliRun.RunSplitAsync("eval", "--model", model, "--samples", Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce"),
            "--scenarios", temp.File("regression.jsonl"), "--out", temp.File("out"));
        exit.ShouldBe(0, output);
        output.ShouldContain("with model");
        var report = JsonDocument.Parse(await File.ReadAllTextAsync(temp.File("out/eval.json"), TestContext.Current.CancellationToken)).RootElement;
        report.GetProperty("target").GetString()!.ShouldContain("model model");
        report.GetProperty("results").EnumerateArray().Count(r => r.TryGetProperty("error", out var _)).ShouldBe(0);
        report.GetProperty("metrics").GetProperty("handoff_recall").GetDouble().ShouldBe(1.0);   // routing hands off before any model runs
    }

    /// <summary>A tiny random Qwen2 with the real vocabulary size and the real tokenizer files, as a model folder carries them.</summary>
    private static string WriteTinyModel(TempDirectory temp, string tokenizer)
    {
        var model = temp.File("model");
        using (var tiny = new Qwen2ForCausalLM(new Qwen2Config
        {
            VocabSize = 151_936, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, NumKeyValueHeadsRaw = 1,
            MaxPositionEmbeddings = 512, TieWordEmbeddings = true, SlidingWindow = null, MaxWindowLayers = null,
        }))
        {
            Qwen2WeightInit.Initialize(tiny, seed: 7, std: 0.2, perturbNormsAndBiases: true);
            ModelFolder.Save(tiny, model);
        }
        foreach (var name in new[] { "vocab.json", "merges.txt" })
            File.Copy(Path.Combine(tokenizer, name), Path.Combine(model, name));
        return model;
    }
}
