using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// The replaceable linear layers of one module (an <see cref="ILinearHost"/>), by their Hugging Face names in
/// checkpoint order: each registered on the owner under its name, so a replacement (LoRA wrapper, quantized layer)
/// takes over the parameter names of the layer it replaces.
/// </summary>
internal sealed class LinearLayers(nn.Module owner, string ownerName)
{
    private readonly Dictionary<string, nn.Module<Tensor, Tensor>> _layers = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    /// <summary>The current layer under <paramref name="name"/>.</summary>
    public nn.Module<Tensor, Tensor> this[string name] => _layers.TryGetValue(name, out var layer)
        ? layer
        : throw new ArgumentException($"{ownerName} has no linear layer '{name}' ({string.Join(", ", _names)}).", nameof(name));

    /// <summary>Adds and registers the layer; call in checkpoint order, which is the order of <see cref="Names"/>.</summary>
    public void Add(string name, nn.Module<Tensor, Tensor> layer)
    {
        _layers.Add(name, layer);
        _names.Add(name);
        owner.register_module(name, layer);
    }

    /// <summary>Puts <paramref name="replacement"/> in place of the layer under <paramref name="name"/>.</summary>
    public void Replace(string name, nn.Module<Tensor, Tensor> replacement)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        _ = this[name];
        owner.register_module(name, null!);
        owner.register_module(name, replacement);
        _layers[name] = replacement;
    }
}
