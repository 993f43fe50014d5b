using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>Qwen2MLP, the SwiGLU feed-forward: down_proj(silu(gate_proj(x)) · up_proj(x)), no biases.</summary>
public sealed class Qwen2Mlp : nn.Module<Tensor, Tensor>, ILinearHost
{
    private nn.Module<Tensor, Tensor> gate_proj;
    private nn.Module<Tensor, Tensor> up_proj;
    private nn.Module<Tensor, Tensor> down_proj;

    public Qwen2Mlp(Qwen2Config config, ScalarType dtype, Device device) : base(nameof(Qwen2Mlp))
    {
        gate_proj = new DenseLinear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype, device);
        up_proj = new DenseLinear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype, device);
        down_proj = new DenseLinear(config.IntermediateSize, config.HiddenSize, hasBias: false, dtype, device);
        register_module(nameof(gate_proj), gate_proj);
        register_module(nameof(up_proj), up_proj);
        register_module(nameof(down_proj), down_proj);
    }

    public IReadOnlyList<string> LinearNames { get; } = [nameof(gate_proj), nameof(up_proj), nameof(down_proj)];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.call(input)) * up_proj.call(input);
        return down_proj.call(gated).MoveToOuterDisposeScope();
    }

    public nn.Module<Tensor, Tensor> GetLinear(string name) => name switch
    {
        nameof(gate_proj) => gate_proj,
        nameof(up_proj) => up_proj,
        nameof(down_proj) => down_proj,
        _ => throw new ArgumentException($"Qwen2Mlp has no linear layer '{name}' (gate_proj, up_proj, down_proj).", nameof(name)),
    };

    public void SetLinear(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _ = GetLinear(name);
        register_module(name, null!);
        register_module(name, replacement);
        switch (name)
        {
            case nameof(gate_proj): gate_proj = replacement; break;
            case nameof(up_proj): up_proj = replacement; break;
            default: down_proj = replacement; break;
        }
    }

    protected override void RegisterComponents() { }
}
