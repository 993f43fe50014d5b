using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>One Qwen2 block, pre-norm: h = x + attn(norm₁(x)); out = h + mlp(norm₂(h)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module
{
    private readonly int _index;
    private readonly RMSNorm input_layernorm;
    private readonly Qwen2Attention self_attn;
    private readonly RMSNorm post_attention_layernorm;
    private readonly Qwen2Mlp mlp;

    public Qwen2DecoderLayer(Qwen2Config config, int index, ScalarType dtype, Device device) : base(nameof(Qwen2DecoderLayer))
    {
        _index = index;
        input_layernorm = new RMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        self_attn = new Qwen2Attention(config, dtype, device);
        post_attention_layernorm = new RMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        mlp = new Qwen2Mlp(config, dtype, device);
        register_module(nameof(input_layernorm), input_layernorm);
        register_module(nameof(self_attn), self_attn);
        register_module(nameof(post_attention_layernorm), post_attention_layernorm);
        register_module(nameof(mlp), mlp);
    }

    public Qwen2Attention SelfAttention => self_attn;

    public Qwen2Mlp Mlp => mlp;

    /// <summary>One block over hidden [B, T, hidden]; <paramref name="packing"/> as <see cref="Qwen2Attention.forward"/>.</summary>
    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, PackedLayout? packing = null)
    {
        using var scope = NewDisposeScope();
        var attended = hidden + self_attn.forward(input_layernorm.call(hidden), cos, sin, mask, cache, _index, packing);
        var output = attended + mlp.call(post_attention_layernorm.call(attended));
        return output.MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents() { }
}
