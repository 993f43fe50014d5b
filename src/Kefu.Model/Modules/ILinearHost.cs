using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// A module whose linear layers can be looked up and replaced by their Hugging Face names (q_proj, down_proj…),
/// so LoRA wrappers and quantized layers slot in without touching the model's code. A replacement must accept the
/// same input and produce the same output shape; it is registered under the same name, so parameter names keep
/// following the checkpoint (a LoRA wrapper that keeps the base layer as <c>base_layer</c> changes them on purpose).
/// </summary>
public interface ILinearHost
{
    /// <summary>The names of the replaceable linear layers this module owns.</summary>
    IReadOnlyList<string> LinearNames { get; }

    /// <summary>The current layer under <paramref name="name"/>.</summary>
    nn.Module<Tensor, Tensor> GetLinear(string name);

    /// <summary>Puts <paramref name="replacement"/> in place of the layer under <paramref name="name"/>.</summary>
    void SetLinear(string name, nn.Module<Tensor, Tensor> replacement);
}
