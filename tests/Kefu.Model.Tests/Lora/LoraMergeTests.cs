using Kefu.Model.Lora;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Lora;

public sealed class LoraMergeTests
{
    [Fact]
    public void MergeFolder_ShardedOutput_GivesTheLogitsOfBasePlusAdapter()
    {
        using var temp = new TempDirectory();
        using var ids = tensor(TinyModels.Ids(11, seed: 5)).unsqueeze(0);
        Tensor expected;
        using (var model = TinyModels.Create())
        {
            ModelFolder.Save(model, temp.File("base"));
            File.WriteAllText(temp.File("base/vocab.json"), "{}");
            using var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = ["q_proj", "v_proj", "down_proj"], Dropout = 0 }, seed: 2);
            LoraLayerTests.Randomise(adapter, seed: 3);
            adapter.Save(temp.File("adapter"));
            expected = model.forward(ids);
        }

        var merged = LoraMerge.MergeFolder(temp.File("base"), temp.File("adapter"), temp.File("merged"), maxShardBytes: 200_000);

        merged.ShouldBe(2 * 3);
        File.Exists(temp.File("merged/model.safetensors.index.json")).ShouldBeTrue();
        File.Exists(temp.File("merged/config.json")).ShouldBeTrue();
        File.Exists(temp.File("merged/vocab.json")).ShouldBeTrue();
        Directory.GetDirectories(temp.Path).Select(Path.GetFileName).ShouldBe(["adapter", "base", "merged"], ignoreOrder: true);
        using var reloaded = ModelFolder.Load(temp.File("merged"));
        using var actual = reloaded.forward(ids);
        TinyModels.MaxDifference(actual, expected).ShouldBeLessThan(1e-4);
        using var checkpoint = SafetensorsCheckpoint.Open(temp.File("merged"));
        checkpoint.TensorNames.ShouldNotContain(n => n.Contains("lora", StringComparison.Ordinal));
        expected.Dispose();
    }

    [Fact]
    public void MergeFolder_NonEmptyOutput_IsRefused()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("keep.txt"), "x");
        Should.Throw<IOException>(() => LoraMerge.MergeFolder(temp.File("base"), temp.File("adapter"), temp.Path)).Message.ShouldContain("not empty");
    }
}
