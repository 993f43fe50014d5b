using Kefu.Testing;
using Kefu.Training.Reporting;
using Kefu.Training.Running;

namespace Kefu.Training.Tests;

public sealed class ResumeTests
{
    private static readonly TrainingRecipe Recipe = TrainingRecipes.Default with
    {
        LearningRate = 5e-3,
        Epochs = 3,
        BatchSize = 2,
        GradientAccumulation = 2,
        EvalEvery = 4,
        SaveEvery = 0,
        Lora = new LoraSettings { Rank = 4, Alpha = 8, Dropout = 0.1 },
    };

    [Fact]
    public void Resume_AfterStoppingMidway_ContinuesTheUninterruptedLossCurveExactly()
    {
        using var temp = new TempDirectory();
        var model = temp.File("model");
        var data = temp.File("data");
        TrainingFixtures.WriteModel(model);
        TrainingFixtures.WriteDataset(data, TrainingFixtures.FaqPairs(10, seed: 1), TrainingFixtures.FaqPairs(3, seed: 2));

        var straight = Train(model, data, temp.File("straight"), maxSteps: null, resume: false);
        var first = Train(model, data, temp.File("resumed"), maxSteps: 5, resume: false);
        var resumed = Train(model, data, temp.File("resumed"), maxSteps: null, resume: true);

        straight.Steps.ShouldBe(9);
        first.Steps.ShouldBe(5);
        resumed.Steps.ShouldBe(9);
        var expected = TrainingLog.Read(temp.File("straight/train_log.jsonl")).Where(e => e.Kind == "train").Select(e => (e.Step, e.Loss, e.LearningRate)).ToList();
        var actual = TrainingLog.Read(temp.File("resumed/train_log.jsonl")).Where(e => e.Kind == "train").Select(e => (e.Step, e.Loss, e.LearningRate)).ToList();
        actual.ShouldBe(expected);
        File.ReadAllBytes(temp.File("resumed/adapter_model.safetensors")).ShouldBe(File.ReadAllBytes(temp.File("straight/adapter_model.safetensors")));
    }

    [Fact]
    public void Resume_WithPacking_ContinuesTheUninterruptedLossCurveExactly()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(10, seed: 1), TrainingFixtures.FaqPairs(3, seed: 2));
        var packed = Recipe with { Packing = true, PackingLength = 24 };

        var straight = Train(temp.File("model"), temp.File("data"), temp.File("straight"), maxSteps: null, resume: false, packed);
        Train(temp.File("model"), temp.File("data"), temp.File("resumed"), maxSteps: 2, resume: false, packed);
        var resumed = Train(temp.File("model"), temp.File("data"), temp.File("resumed"), maxSteps: null, resume: true, packed);

        resumed.Steps.ShouldBe(straight.Steps);
        straight.Steps.ShouldBeGreaterThan(3);
        var expected = TrainingLog.Read(temp.File("straight/train_log.jsonl")).Where(e => e.Kind == "train").Select(e => (e.Step, e.Loss)).ToList();
        var actual = TrainingLog.Read(temp.File("resumed/train_log.jsonl")).Where(e => e.Kind == "train").Select(e => (e.Step, e.Loss)).ToList();
        actual.ShouldBe(expected);
        File.ReadAllBytes(temp.File("resumed/adapter_model.safetensors")).ShouldBe(File.ReadAllBytes(temp.File("straight/adapter_model.safetensors")));
    }

    [Theory]
    [InlineData("packing", "batch_plan.packing_length")]
    [InlineData("batch_size", "batch_plan.batch_size")]
    [InlineData("seed", "batch_plan.seed")]
    public void Resume_WithOtherBatching_RefusesNamingTheFieldAndKeepsTheCheckpoint(string change, string field)
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(10, seed: 1), TrainingFixtures.FaqPairs(3, seed: 2));
        Train(temp.File("model"), temp.File("data"), temp.File("out"), maxSteps: 2, resume: false);
        var checkpoint = temp.File("out/checkpoints/step-000002");
        var before = Directory.GetFiles(checkpoint).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));
        var changed = change switch
        {
            "packing" => Recipe with { Packing = true, PackingLength = 24 },
            "batch_size" => Recipe with { BatchSize = 3 },
            _ => Recipe with { Seed = Recipe.Seed + 1 },
        };

        var error = Should.Throw<InvalidDataException>(() => Train(temp.File("model"), temp.File("data"), temp.File("out"), maxSteps: null, resume: true, changed));

        error.Message.ShouldContain(Path.Combine(checkpoint, "trainer_state.json"));
        error.Message.ShouldContain("field " + field);
        Directory.GetFiles(checkpoint).ToDictionary(f => Path.GetFileName(f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))).ShouldBe(before);
        Directory.GetDirectories(temp.File("out/checkpoints")).Length.ShouldBe(1);
    }

    [Fact]
    public void Resume_OnEditedTrainingData_RefusesNamingTheStages()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(10, seed: 1), TrainingFixtures.FaqPairs(3, seed: 2));
        Train(temp.File("model"), temp.File("data"), temp.File("out"), maxSteps: 2, resume: false);
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(10, seed: 7), TrainingFixtures.FaqPairs(3, seed: 2));

        var error = Should.Throw<InvalidDataException>(() => Train(temp.File("model"), temp.File("data"), temp.File("out"), maxSteps: null, resume: true));

        error.Message.ShouldContain("field batch_plan.stages");
    }

    [Fact]
    public void Run_SameSeed_IsReproducibleAndWritesAdapterLogAndPlot()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        TrainingFixtures.WriteDataset(temp.File("data"), TrainingFixtures.FaqPairs(8, seed: 1), TrainingFixtures.FaqPairs(2, seed: 2));

        var a = Train(temp.File("model"), temp.File("data"), temp.File("a"), maxSteps: 4, resume: false);
        var b = Train(temp.File("model"), temp.File("data"), temp.File("b"), maxSteps: 4, resume: false);

        a.FinalLoss.ShouldBe(b.FinalLoss);
        File.Exists(temp.File("a/adapter_config.json")).ShouldBeTrue();
        File.Exists(temp.File("a/loss.png")).ShouldBeTrue();
        File.Exists(temp.File("a/checkpoints/step-000004/optimizer.safetensors")).ShouldBeTrue();
        TrainingLog.Read(temp.File("a/train_log.jsonl")).Count(e => e.Kind == "eval").ShouldBe(2);
    }

    private static TrainingSummary Train(string model, string data, string output, int? maxSteps, bool resume, TrainingRecipe? recipe = null)
    {
        using var run = TrainingRun.Open(model, data, output, recipe ?? Recipe, new TrainerOptions { MaxSteps = maxSteps, Resume = resume, Plot = !resume });
        return run.Run(TestContext.Current.CancellationToken);
    }
}
