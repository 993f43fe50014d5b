using Kefu.Model.Lora;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Lora;

public sealed class LoraLayerTests
{
    private static readonly long[] Prompt = TinyModels.Ids(12, seed: 7);

    [Fact]
    public void Attach_FreshAdapter_GivesTheBaseModelsLogits()
    {
        using var model = TinyModels.Create();
        using var ids = tensor(Prompt).unsqueeze(0);
        using var before = model.forward(ids);
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear] }, seed: 3);
        using var after = model.forward(ids);

        adapter.Layers.Count.ShouldBe(2 * 7);
        TinyModels.MaxDifference(before, after).ShouldBe(0);
    }

    [Fact]
    public void Attach_DefaultTargets_OnlyAdapterParametersRequireGradients()
    {
        using var model = TinyModels.Create();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig(), seed: 3);

        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToList();
        trainable.Count.ShouldBe(2 * 3 * 2);
        trainable.ShouldAllBe(n => n.EndsWith(".lora_A", StringComparison.Ordinal) || n.EndsWith(".lora_B", StringComparison.Ordinal));
        adapter.TrainableParameters().Count.ShouldBe(trainable.Count);
        adapter.Layers.Select(l => l.Key).ShouldContain("model.layers.1.self_attn.v_proj");
        adapter.Layers.Select(l => l.Key).ShouldNotContain("model.layers.1.self_attn.o_proj");
    }

    [Fact]
    public void Attach_AIsKaimingUniformAndBIsZero()
    {
        using var model = TinyModels.Create();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { Rank = 8 }, seed: 3);
        var q = adapter.Layers[0].Value;

        q.lora_A.shape.ShouldBe([8L, 64L]);
        q.lora_B.shape.ShouldBe([64L, 8L]);
        q.lora_B.abs().max().item<float>().ShouldBe(0f);
        var bound = 1 / Math.Sqrt(64);
        q.lora_A.abs().max().item<float>().ShouldBeLessThanOrEqualTo((float)bound);
        q.lora_A.abs().max().item<float>().ShouldBeGreaterThan((float)(0.9 * bound));
    }

    [Fact]
    public void Attach_UnknownTarget_NamesTheChoices()
    {
        using var model = TinyModels.Create();
        var error = Should.Throw<LoraFormatException>(() => LoraAdapter.Attach(model, new LoraConfig { TargetModules = ["qkv_proj"] }));
        error.Message.ShouldContain("'qkv_proj'");
        error.Message.ShouldContain("q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj");
    }

    [Fact]
    public void Scaling_RsLoraAndRankPattern_FollowPeft()
    {
        var config = new LoraConfig { Rank = 16, Alpha = 32, RankPattern = new Dictionary<string, int> { ["v_proj"] = 4 } };
        config.ScalingOf("model.layers.0.self_attn.q_proj").ShouldBe(2.0);
        config.RankOf("model.layers.0.self_attn.v_proj").ShouldBe(4);
        config.ScalingOf("model.layers.0.self_attn.v_proj").ShouldBe(8.0);
        (config with { UseRsLora = true }).ScalingOf("model.layers.0.self_attn.q_proj").ShouldBe(32 / 4.0);

        using var model = TinyModels.Create();
        using var adapter = LoraAdapter.Attach(model, config);
        adapter.Layers.Single(l => l.Key == "model.layers.1.self_attn.v_proj").Value.lora_A.shape[0].ShouldBe(4);
    }

    [Fact]
    public void Merge_TrainedAdapter_GivesTheSameLogitsAsTheUnmergedOne()
    {
        using var model = TinyModels.Create();
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = [LoraConfig.AllLinear], Dropout = 0 }, seed: 5);
        Randomise(adapter, seed: 9);
        using var ids = tensor(Prompt).unsqueeze(0);
        using var baseLogits = BaseLogits(model, adapter, ids);
        using var unmerged = model.forward(ids);
        adapter.Merge();
        using var merged = model.forward(ids);
        adapter.Detach();
        using var detached = model.forward(ids);

        TinyModels.MaxDifference(unmerged, baseLogits).ShouldBeGreaterThan(0.1);
        TinyModels.MaxDifference(merged, unmerged).ShouldBeLessThan(1e-4);
        TinyModels.MaxDifference(detached, unmerged).ShouldBeLessThan(1e-4);
    }

    internal static void Randomise(LoraAdapter adapter, long seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (_, layer) in adapter.Layers)
            layer.lora_B.copy_(randn(layer.lora_B.shape, layer.lora_B.dtype, generator: generator) * 0.1);
    }

    private static Tensor BaseLogits(Qwen2ForCausalLM model, LoraAdapter adapter, Tensor ids)
    {
        adapter.Detach();
        var logits = model.forward(ids);
        foreach (var (name, layer) in adapter.Layers)
            model.ReplaceLinear(name, _ => layer);
        return logits;
    }
}
