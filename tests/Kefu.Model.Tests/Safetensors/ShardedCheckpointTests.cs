using Kefu.Model.Modules;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Safetensors;

public sealed class ShardedCheckpointTests
{
    [Fact]
    public void Save_AboveShardSize_WritesShardsAndIndex_AndLoadsBackIdentical()
    {
        using var folder = new TempDirectory();
        using var model = TinyModels.Create(tied: false);
        using var scope = NewDisposeScope();

        ModelFolder.Save(model, folder.Path, maxShardBytes: 60_000);
        using var loaded = ModelFolder.Load(folder.Path);

        var files = Directory.GetFiles(folder.Path).Select(Path.GetFileName).ToList();
        files.ShouldContain("model.safetensors.index.json");
        files.ShouldContain("config.json");
        files.ShouldNotContain("model.safetensors");
        files.Count(f => f!.StartsWith("model-0000", StringComparison.Ordinal)).ShouldBeGreaterThan(2);
        var index = SafetensorsIndex.Load(Path.Combine(folder.Path, SafetensorsIndex.FileName));
        index.WeightMap!.Count.ShouldBe(model.NamedWeights().Count);
        index.Metadata!["total_size"].GetInt64().ShouldBe(model.ParameterCount * 4);
        foreach (var (name, weight) in model.NamedWeights())
            TinyModels.MaxDifference(loaded.NamedWeights().Single(w => w.Key == name).Value, weight).ShouldBe(0.0, name);
    }

    [Fact]
    public void SaveAsBFloat16_ThenLoadAsFloat32_GivesTheRoundedWeights()
    {
        using var folder = new TempDirectory();
        using var model = TinyModels.Create(tied: true);
        using var scope = NewDisposeScope();

        ModelFolder.Save(model, folder.Path, SafetensorsDType.BF16);
        using var loaded = ModelFolder.Load(folder.Path, ScalarType.Float32);

        var original = model.Model.EmbedTokens.weight;
        TinyModels.MaxDifference(loaded.Model.EmbedTokens.weight, original.to(ScalarType.BFloat16)).ShouldBe(0.0);
        loaded.Config.TorchDtype.ShouldBe("bfloat16");
        SafetensorsHeader.Read(Path.Combine(folder.Path, "model.safetensors")).Tensors.Keys.ShouldNotContain("lm_head.weight");
    }

    [Fact]
    public void WriteRandom_ThenLoad_EqualsInitializeWithTheSameSeed()
    {
        using var folder = new TempDirectory();
        var config = TinyModels.Config(tied: false);

        ModelFolder.WriteRandom(config, folder.Path, seed: 42, SafetensorsDType.F32);
        using var loaded = ModelFolder.Load(folder.Path);
        using var initialised = new Qwen2ForCausalLM(config);
        Qwen2WeightInit.Initialize(initialised, seed: 42);

        foreach (var (name, weight) in initialised.NamedWeights())
            TinyModels.MaxDifference(loaded.NamedWeights().Single(w => w.Key == name).Value, weight).ShouldBe(0.0, name);
        File.Exists(Path.Combine(folder.Path, "generation_config.json")).ShouldBeTrue();
    }
}
