using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Configuration;

/// <summary>The real shapes, built on the meta device: every parameter name and shape without allocating a byte.</summary>
public sealed class Qwen2ShapeSnapshotTests
{
    [Fact]
    public void SevenB_OnMetaDevice_HasTheHuggingFaceParameterNamesShapesAndCount()
    {
        using var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("7b"), ScalarType.BFloat16, META);

        var weights = model.NamedWeights().ToDictionary(w => w.Key, w => w.Value.shape);

        model.ParameterCount.ShouldBe(7_615_616_512L);
        weights.Count.ShouldBe(2 + 28 * 12 + 1);
        weights["model.embed_tokens.weight"].ShouldBe([152064L, 3584]);
        weights["lm_head.weight"].ShouldBe([152064L, 3584]);
        weights["model.norm.weight"].ShouldBe([3584L]);
        var layer = weights.Where(w => w.Key.StartsWith("model.layers.27.", StringComparison.Ordinal))
            .ToDictionary(w => w.Key["model.layers.27.".Length..], w => w.Value);
        layer.Keys.Order(StringComparer.Ordinal).ShouldBe(
        [
            "input_layernorm.weight", "mlp.down_proj.weight", "mlp.gate_proj.weight", "mlp.up_proj.weight",
            "post_attention_layernorm.weight", "self_attn.k_proj.bias", "self_attn.k_proj.weight", "self_attn.o_proj.weight",
            "self_attn.q_proj.bias", "self_attn.q_proj.weight", "self_attn.v_proj.bias", "self_attn.v_proj.weight",
        ]);
        layer["self_attn.q_proj.weight"].ShouldBe([3584L, 3584]);
        layer["self_attn.k_proj.weight"].ShouldBe([512L, 3584]);
        layer["self_attn.v_proj.bias"].ShouldBe([512L]);
        layer["mlp.gate_proj.weight"].ShouldBe([18944L, 3584]);
        layer["mlp.down_proj.weight"].ShouldBe([3584L, 18944]);
        model.NamedWeights().ShouldAllBe(w => w.Value.device_type == TorchSharp.DeviceType.META);
    }

    [Theory]
    [InlineData("0.5b", 494_032_768L, false)]
    [InlineData("1.5b", 1_543_714_304L, false)]
    public void TiedShapes_HaveNoLmHeadParameter_AndTheRealParameterCount(string shape, long parameters, bool hasLmHead)
    {
        using var model = new Qwen2ForCausalLM(Qwen2Shapes.Get(shape), ScalarType.BFloat16, META);

        model.ParameterCount.ShouldBe(parameters);
        model.NamedWeights().Any(w => w.Key == "lm_head.weight").ShouldBe(hasLmHead);
    }
}
