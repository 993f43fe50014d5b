using System.Text.Json;
using Kefu.Model.Lora;
using Kefu.Model.Safetensors;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Lora;

public sealed class PeftFormatTests
{
    [Fact]
    public void Save_WritesPeftNamesShapesAndConfig()
    {
        using var temp = new TempDirectory();
        using var model = TinyModels.Create();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { Rank = 8, UseRsLora = true }, seed: 1);
        adapter.Save(temp.Path, baseModelNameOrPath: "Qwen/Qwen2-7B");

        using var file = SafetensorsFile.Open(Path.Combine(temp.Path, "adapter_model.safetensors"));
        file.Header.Tensors.Count.ShouldBe(2 * 3 * 2);
        file.Info("base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight").Shape.ShouldBe([8L, 64L]);
        file.Info("base_model.model.model.layers.1.self_attn.k_proj.lora_B.weight").Shape.ShouldBe([32L, 8L]);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "adapter_config.json")));
        var root = json.RootElement;
        root.GetProperty("peft_type").GetString().ShouldBe("LORA");
        root.GetProperty("task_type").GetString().ShouldBe("CAUSAL_LM");
        root.GetProperty("r").GetInt32().ShouldBe(8);
        root.GetProperty("lora_alpha").GetDouble().ShouldBe(32);
        root.GetProperty("lora_dropout").GetDouble().ShouldBe(0.1);
        root.GetProperty("bias").GetString().ShouldBe("none");
        root.GetProperty("use_rslora").GetBoolean().ShouldBeTrue();
        root.GetProperty("base_model_name_or_path").GetString().ShouldBe("Qwen/Qwen2-7B");
        root.GetProperty("target_modules").EnumerateArray().Select(e => e.GetString()).ShouldBe(["q_proj", "k_proj", "v_proj"]);
    }

    [Fact]
    public void Load_SavedAdapter_GivesTheSameLogits()
    {
        using var temp = new TempDirectory();
        using var ids = tensor(TinyModels.Ids(9, seed: 3)).unsqueeze(0);
        Tensor expected;
        using (var model = TinyModels.Create())
        using (var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] }, seed: 1))
        {
            LoraLayerTests.Randomise(adapter, seed: 2);
            adapter.Save(temp.Path);
            expected = model.forward(ids);
        }
        using var reloaded = TinyModels.Create();
        using var loaded = LoraAdapter.Load(reloaded, temp.Path);
        using var actual = reloaded.forward(ids);

        TinyModels.MaxDifference(actual, expected).ShouldBe(0);
        expected.Dispose();
    }

    [Fact]
    public void Load_PeftStyleConfigWithStringTargetAndExtraFields_IsAccepted()
    {
        using var temp = new TempDirectory();
        using (var model = TinyModels.Create())
        using (var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] }))
            adapter.Save(temp.Path);
        var path = Path.Combine(temp.Path, "adapter_config.json");
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"bias\"", "\"megatron_config\": null, \"revision\": null, \"bias\"", StringComparison.Ordinal));

        var config = LoraConfig.Load(temp.Path);
        config.TargetModules.ShouldBe([LoraConfig.AllLinear]);
        config.Extra!.ShouldContainKey("megatron_config");
        using var fresh = TinyModels.Create();
        using var loaded = LoraAdapter.Load(fresh, temp.Path);
        loaded.Layers.Count.ShouldBe(14);
    }

    [Fact]
    public void Load_MissingTensor_NamesFileAndTensor()
    {
        using var temp = new TempDirectory();
        using (var model = TinyModels.Create())
        using (var adapter = LoraAdapter.Attach(model, new LoraConfig()))
            adapter.Save(temp.Path);
        // The file now targets fewer modules than the config claims.
        new LoraConfig { TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj"] }.Save(temp.Path);

        using var fresh = TinyModels.Create();
        var error = Should.Throw<LoraFormatException>(() => LoraAdapter.Load(fresh, temp.Path));
        error.Message.ShouldContain("adapter_model.safetensors");
        error.Message.ShouldContain("base_model.model.model.layers.0.self_attn.o_proj.lora_A.weight");
        fresh.NamedLinears().ShouldAllBe(l => !(l.Value is LoraLinear));
    }

    [Fact]
    public void Load_DoraConfig_IsRefusedWithTheField()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "adapter_config.json"), """{"peft_type": "LORA", "r": 8, "lora_alpha": 16, "target_modules": ["q_proj"], "use_dora": true}""");
        var error = Should.Throw<LoraFormatException>(() => LoraConfig.Load(temp.Path));
        error.Message.ShouldContain("use_dora");
    }
}
