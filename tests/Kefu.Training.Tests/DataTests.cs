using Kefu.Testing;
using Kefu.Training.Data;

namespace Kefu.Training.Tests;

public sealed class DataTests
{
    [Fact]
    public void Open_DatasetFromLargerTokenizer_IsRefusedNamingTheField()
    {
        using var temp = new TempDirectory();
        TrainingFixtures.WriteDataset(temp.Path, TrainingFixtures.FaqPairs(2, seed: 1), [], vocabSize: 151665);
        var error = Should.Throw<SftDatasetException>(() => SftDataset.Open(temp.Path, TrainingFixtures.Config(), null));
        error.Message.ShouldContain("dataset.json: field tokenizer.vocab_size");
        error.Message.ShouldContain("151665");
    }

    [Fact]
    public void Open_TokenizerFileHashDiffers_IsRefusedNamingTheFile()
    {
        using var temp = new TempDirectory();
        var data = temp.File("data");
        TrainingFixtures.WriteDataset(data, TrainingFixtures.FaqPairs(2, seed: 1), []);
        File.WriteAllText(Path.Combine(data, "dataset.json"), """{"format": "kefu-sft/1", "tokenizer": {"vocab_size": 64, "files_sha256": {"vocab.json": "00"}}}""");
        Directory.CreateDirectory(temp.File("model"));
        File.WriteAllText(temp.File("model/vocab.json"), "{}");
        var error = Should.Throw<SftDatasetException>(() => SftDataset.Open(data, TrainingFixtures.Config(), temp.File("model")));
        error.Message.ShouldContain("files_sha256.vocab.json");
        error.Message.ShouldContain("another tokenizer");
    }

    [Fact]
    public void Open_ModelFolderWithoutTheTokenizerFiles_WarnsThatOnlyTheVocabularySizeWasChecked()
    {
        using var temp = new TempDirectory();
        var data = temp.File("data");
        TrainingFixtures.WriteDataset(data, TrainingFixtures.FaqPairs(2, seed: 1), []);
        File.WriteAllText(Path.Combine(data, "dataset.json"), """{"format": "kefu-sft/1", "tokenizer": {"vocab_size": 64, "files_sha256": {"vocab.json": "00", "merges.txt": "11"}}}""");
        Directory.CreateDirectory(temp.File("model"));
        var warnings = new List<string>();

        SftDataset.Open(data, TrainingFixtures.Config(), temp.File("model"), warnings.Add).Train.Count.ShouldBe(2);

        warnings.ShouldHaveSingleItem().ShouldContain("has none of the tokenizer files the dataset was rendered with (vocab.json, merges.txt)");
    }

    [Fact]
    public void Read_TokenOutsideVocabularyAndBadMask_NameFileLineAndField()
    {
        using var temp = new TempDirectory();
        var path = temp.File("train.jsonl");
        File.WriteAllLines(path, [
            """{"id": "a", "input_ids": [1, 2, 3], "loss_mask": "001"}""",
            """{"id": "b", "input_ids": [1, 99, 3], "loss_mask": "001"}""",
        ]);
        Should.Throw<SftDatasetException>(() => SftJsonlReader.Read(path, 64)).Message.ShouldContain("train.jsonl:2: field input_ids: token id 99");
        File.WriteAllLines(path, ["""{"id": "a", "input_ids": [1, 2, 3], "loss_mask": "01"}"""]);
        Should.Throw<SftDatasetException>(() => SftJsonlReader.Read(path, 64)).Message.ShouldContain("train.jsonl:1: field loss_mask: has 2 characters for 3 input ids");
    }

    [Fact]
    public void Plan_EveryExampleOncePerEpoch_SameSeedSamePlan_BatchesOfSimilarLength()
    {
        var lengths = Enumerable.Range(0, 37).Select(i => (i * 17) % 50 + 5).ToList();
        var plan = LengthBucketedBatches.Plan(lengths, batchSize: 4, seed: 9, epoch: 0);

        plan.SelectMany(b => b).Order().ShouldBe(Enumerable.Range(0, 37));
        LengthBucketedBatches.Plan(lengths, 4, 9, 0).ShouldBe(plan);
        LengthBucketedBatches.Plan(lengths, 4, 9, 1).ShouldNotBe(plan);
        var padding = plan.Sum(b => b.Length * b.Max(i => lengths[i]) - b.Sum(i => lengths[i]));
        padding.ShouldBeLessThan(37 * 5);
    }
}
