using Kefu.Data.Building;
using Kefu.Data.Mixing;
using Kefu.Model.Configuration;
using Kefu.Model.Generation;
using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Testing;
using Kefu.Text;
using Kefu.Training.Data;
using Kefu.Training.Running;

namespace Kefu.Training.Tests;

/// <summary>
/// The whole loop on real text: a Chinese FAQ sheet → <c>kefu data build</c>'s builder with the real Qwen2 tokenizer →
/// LoRA training of a tiny random Qwen2 with the real 151,936-row vocabulary → greedy generation with the chat
/// template → the real tokenizer's decoding is exactly each answer.
/// </summary>
public sealed class RealTextEndToEndTests(ITestOutputHelper output)
{
    // The shop's facts (common brief): short answers, so a tiny model memorises them in seconds.
    private static readonly (string Question, string Answer)[] Faq =
    [
        ("几点前付款当天发货？", "16:00前付款当天发货，之后次日发货。"),
        ("满多少包邮？", "满59元包邮，不满收6元运费。"),
        ("人工客服几点上班？", "每天9:00到22:00都有人工客服。"),
        ("支持货到付款吗？", "不支持货到付款哦。"),
        ("花呗可以免息分期吗？", "满300元可享花呗3期免息。"),
        ("退款多久到账？", "微信和支付宝1到3个工作日到账。"),
        ("能寄到国外吗？", "暂不支持海外配送。"),
        ("积分怎么抵扣？", "100积分抵1元。"),
        ("未发货的订单能取消吗？", "可以，在订单页取消，立即退款。"),
        ("专用发票多久开好？", "增值税专用发票5个工作日内开具。"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BuildTrainGenerate_ChineseFaqWithTheRealTokenizer_AnswersEveryQuestionExactly(bool packing)
    {
        var tokenizerDirectory = SharedData.RequireDirectory("qwen2-tokenizer");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var temp = new TempDirectory();
        var model = temp.File("model");
        WriteModel(model, tokenizerDirectory);
        var data = Build(temp, tokenizerDirectory);
        var tokenizer = Qwen2Tokenizer.FromDirectory(model);

        var recipe = TrainingRecipes.Default with
        {
            LearningRate = 1e-2, Epochs = 80, BatchSize = Faq.Length, GradientAccumulation = 1, WarmupRatio = 0.05, EvalEvery = 0, SaveEvery = 0,
            Lora = new LoraSettings { Rank = 16, Alpha = 32, Dropout = 0 }, Packing = packing,
        };
        using var run = TrainingRun.Open(model, data, temp.File("out"), recipe, new TrainerOptions { Plot = false });

        // What the trainer sees is the tokenizer's encoding of the rendered template, and it learns the answers only.
        run.Data.Train.Count.ShouldBe(Faq.Length);
        foreach (var sample in run.Data.Train)
        {
            var (question, answer) = Faq.Single(f => tokenizer.Decode(sample.InputIds).Contains(f.Question, StringComparison.Ordinal));
            ChatTurn[] turns = [new(ChatTurn.User, question), new(ChatTurn.Assistant, answer)];
            sample.InputIds.ShouldBe(tokenizer.Encode(ChatTemplate.Render(turns, addGenerationPrompt: false)));
            tokenizer.Decode(sample.InputIds.Where((_, i) => sample.LossMask[i])).ShouldBe(answer + "<|im_end|>");
        }

        if (packing)
            run.Trainer.Padding().Rows.ShouldBeLessThan(Faq.Length / 2);
        var prepared = clock.Elapsed.TotalSeconds;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        var summary = run.Run(TestContext.Current.CancellationToken);
        var trained = clock.Elapsed.TotalSeconds;
        cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        run.Model.eval();

        var generator = new Qwen2Generator(run.Model);
        var options = GenerationOptions.Greedy with { MaxNewTokens = 40, StopTokenIds = [tokenizer.ImEndId] };
        var wrong = new List<string>();
        foreach (var (question, answer) in Faq)
        {
            var prompt = ChatTemplate.TokenizePrompt(tokenizer, [new ChatTurn(ChatTurn.User, question)]);
            var result = generator.Generate(prompt, options, TestContext.Current.CancellationToken);
            var reply = tokenizer.Decode(result.Tokens);
            if (reply != answer || result.StopTokenId != tokenizer.ImEndId)
                wrong.Add($"{question} → {reply} (stop {result.StopTokenId})");
        }
        output.WriteLine($"packing {packing}: build+load {prepared:F1} s, train {trained - prepared:F1} s, {cpu.TotalSeconds:F1} s CPU ({summary.Steps} steps, loss {summary.FinalLoss:F3}), generate {clock.Elapsed.TotalSeconds - trained:F1} s");
        wrong.ShouldBeEmpty();
    }

    [Fact]
    public void Open_DatasetBuiltWithTheRealTokenizer_ModelFolderWithAnotherTokenizer_IsRefusedNamingTheFile()
    {
        var tokenizerDirectory = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var data = Build(temp, tokenizerDirectory);
        var model = temp.File("model");
        Directory.CreateDirectory(model);
        File.Copy(Path.Combine(tokenizerDirectory, "vocab.json"), Path.Combine(model, "vocab.json"));
        // Same vocabulary, one merge fewer: other ids for the same text.
        var merges = File.ReadAllLines(Path.Combine(tokenizerDirectory, "merges.txt"));
        File.WriteAllLines(Path.Combine(model, "merges.txt"), merges[..^1]);

        var error = Should.Throw<SftDatasetException>(() => SftDataset.Open(data, Config(), model));
        error.Message.ShouldContain("dataset.json: field tokenizer.files_sha256.merges.txt");
        error.Message.ShouldContain("another tokenizer");
        error.Message.ShouldContain("kefu data build --tokenizer");
    }

    /// <summary>A tiny random Qwen2 with Qwen2's real vocabulary size, and the tokenizer files a real model folder carries.</summary>
    private static void WriteModel(string directory, string tokenizerDirectory)
    {
        using (var model = new Qwen2ForCausalLM(Config()))
        {
            Qwen2WeightInit.Initialize(model, seed: 7, std: 0.2, perturbNormsAndBiases: true);
            ModelFolder.Save(model, directory);
        }
        foreach (var name in new[] { "vocab.json", "merges.txt" })
            File.Copy(Path.Combine(tokenizerDirectory, name), Path.Combine(directory, name));
    }

    private static Qwen2Config Config() => new()
    {
        VocabSize = 151_936, HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeadsRaw = 2,
        MaxPositionEmbeddings = 512, TieWordEmbeddings = true, SlidingWindow = null, MaxWindowLayers = null,
    };

    /// <summary>The FAQ as a CSV sheet, built as <c>kefu data build</c> builds it: everything into train.</summary>
    private static string Build(TempDirectory temp, string tokenizerDirectory)
    {
        var sources = temp.File("faq");
        Directory.CreateDirectory(sources);
        File.WriteAllLines(Path.Combine(sources, "faq.csv"),
            ["id,question,answer,category", .. Faq.Select((f, i) => $"faq-{i + 1:D2},{f.Question},{f.Answer},knowledge")]);
        var result = new DatasetBuilder().Build(new DatasetBuildOptions
        {
            Paths = [sources], TokenizerDirectory = tokenizerDirectory, OutputDirectory = temp.File("data"),
            Mix = new MixRatio(1, 0, 0), Size = new SizeRange(1, 100), EvalFraction = 0, Cutoff = 256,
        });
        result.Succeeded.ShouldBeTrue(result.FailureMessage ?? string.Join("\n", result.Diagnostics));
        return temp.File("data");
    }
}
