using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>Qwen2MLP, the SwiGLU feed-forward: down_proj(silu(gate_proj(x)) · up_proj(x)), no biases.</summary>
public sealed class Qwen2Mlp : nn.Module<Tensor, Tensor>, ILinearHost
{
    private readonly LinearLayers _linears;

    public Qwen2Mlp(Qwen2Config config, ScalarType dtype, Device device) : base(nameof(Qwen2Mlp))
    {
        _linears = new LinearLayers(this, nameof(Qwen2Mlp));
        _linears.Add(nameof(gate_proj), new DenseLinear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype, device));
        _linears.Add(nameof(up_proj), new DenseLinear(config.HiddenSize, config.IntermediateSize, hasBias: false, dtype, device));
        _linears.Add(nameof(down_proj), new DenseLinear(config.IntermediateSize, config.HiddenSize, hasBias: false, dtype, device));
    }

    public IReadOnlyList<string> LinearNames => _linears.Names;

    private nn.Module<Tensor, Tensor> gate_proj => _linears[nameof(gate_proj)];

    private nn.Module<Tensor, Tensor> up_proj => _linears[nameof(up_proj)];

    private nn.Module<Tensor, Tensor> down_proj => _linears[nameof(down_proj)];

    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var gated = nn.functional.silu(gate_proj.call(input)) * up_proj.call(input);
        return down_proj.call(gated).MoveToOuterDisposeScope();
    }

    public nn.Module<Tensor, Tensor> GetLinear(string name) => _linears[name];

    public void SetLinear(string name, nn.Module<Tensor, Tensor> replacement) => _linears.Replace(name, replacement);

    protected override void RegisterComponents() { }
}
