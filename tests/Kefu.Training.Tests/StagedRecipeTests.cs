using Kefu.Testing;
using Kefu.Training.Reporting;
using Kefu.Training.Running;

namespace Kefu.Training.Tests;

public sealed class StagedRecipeTests
{
    [Fact]
    public void Run_StagedRecipeFromJson_TrainsKnowledgeThenDialogueWithEachStagesRate()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteModel(temp.File("model"));
        var train = TrainingFixtures.FaqPairs(4, seed: 1, "knowledge").Concat(TrainingFixtures.FaqPairs(2, seed: 2, "dialogue")).Concat(TrainingFixtures.FaqPairs(2, seed: 3, "exception")).ToList();
        TrainingFixtures.WriteDataset(temp.File("data"), train, TrainingFixtures.FaqPairs(2, seed: 4));
        File.WriteAllText(temp.File("recipe.json"), """
            {
              // knowledge first, then dialogue and exceptions (the seed's progressive plan)
              "name": "two-stage", "batch_size": 2, "gradient_accumulation": 1, "schedule": "constant", "warmup_ratio": 0,
              "eval_every": 0, "save_every": 0, "lora": {"r": 4, "alpha": 8, "target_modules": ["q_proj", "v_proj"]},
              "stages": [
                {"name": "knowledge", "categories": ["knowledge"], "epochs": 2, "learning_rate": 0.001},
                {"name": "dialogue", "categories": ["dialogue", "exception"], "epochs": 1, "learning_rate": 0.0005}
              ]
            }
            """);
        var recipe = TrainingRecipes.Resolve(temp.File("recipe.json"));
        using var run = TrainingRun.Open(temp.File("model"), temp.File("data"), temp.File("out"), recipe, new TrainerOptions { Plot = false });
        var summary = run.Run(TestContext.Current.CancellationToken);

        summary.Steps.ShouldBe(2 * 2 + 2);
        var steps = TrainingLog.Read(temp.File("out/train_log.jsonl")).Where(e => e.Kind == "train").ToList();
        steps.Select(s => s.Stage).ShouldBe(["knowledge", "knowledge", "knowledge", "knowledge", "dialogue", "dialogue"]);
        steps.Select(s => s.LearningRate).Distinct().ShouldBe([0.001, 0.0005]);
    }

    [Fact]
    public void Resolve_UnknownNameOrBadField_SaysWhatIsAllowed()
    {
        Should.Throw<ArgumentException>(() => TrainingRecipes.Resolve("fast")).Message.ShouldContain("default, seed-article, staged");
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("r.json"), """{"schedule": "step"}""");
        Should.Throw<ArgumentException>(() => TrainingRecipes.Resolve(temp.File("r.json"))).Message.ShouldContain("field schedule");
        File.WriteAllText(temp.File("r.json"), """{"learning_rat": 1}""");
        Should.Throw<ArgumentException>(() => TrainingRecipes.Resolve(temp.File("r.json"))).Message.ShouldContain("learning_rat");
    }

    [Fact]
    public void SeedArticle_KeepsTheArticlesSettings()
    {
        var seed = TrainingRecipes.SeedArticle;
        (seed.BatchSize, seed.GradientAccumulation, seed.Epochs, seed.LearningRate).ShouldBe((4, 4, 1, 5e-5));
        (seed.Lora.Rank, seed.Lora.Alpha, seed.Lora.Dropout).ShouldBe((16, 32.0, 0.1));
        seed.Lora.TargetModules.ShouldBe(["q_proj", "k_proj", "v_proj"]);
    }
}
