using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Quantization;

/// <summary>
/// Quantizes every decoder linear of a <see cref="Qwen2ForCausalLM"/> (embeddings, norms and the head stay as they
/// are, as in AutoGPTQ). GPTQ runs sequentially as the paper does: the calibration samples' hidden states enter
/// layer 0; each layer's linears get their Hessians from forward passes with capture layers swapped in, are
/// quantized, and their weights are replaced by the dequantised ones, so the next sublayer (true-sequential) and
/// the next layer see the quantized model's activations. RTN needs no data.
/// </summary>
public static class ModelQuantizer
{
    /// <summary>The linears of one decoder layer in true-sequential order (AutoGPTQ's inside_layer_modules for Qwen2).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> SequentialGroups { get; } =
    [
        ["self_attn.k_proj", "self_attn.v_proj", "self_attn.q_proj"],
        ["self_attn.o_proj"],
        ["mlp.up_proj", "mlp.gate_proj"],
        ["mlp.down_proj"],
    ];

    /// <summary>
    /// Quantizes in place (the model's linear weights become their dequantised values) and returns each layer's
    /// quantized weight by full module name. <paramref name="calibration"/> is needed for GPTQ only.
    /// </summary>
    public static IReadOnlyDictionary<string, QuantizedWeight> Quantize(Qwen2ForCausalLM model, QuantizationMethod method, QuantizationScheme scheme,
        IReadOnlyList<int[]>? calibration = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scheme);
        scheme.Validated();
        var result = new Dictionary<string, QuantizedWeight>(StringComparer.Ordinal);
        if (method == QuantizationMethod.Rtn)
        {
            foreach (var (name, linear) in DecoderLinears(model))
            {
                var quantized = RoundToNearest.Quantize(linear.weight, scheme);
                WriteBack(linear, quantized);
                result[name] = quantized;
            }
            return result;
        }

        if (calibration is null || calibration.Count == 0)
            throw new ArgumentException("GPTQ needs calibration samples (token id sequences).", nameof(calibration));
        using var noGrad = no_grad();
        var states = calibration.Select(ids => Embed(model, ids)).ToList();
        try
        {
            for (var index = 0; index < model.Model.Layers.Count; index++)
            {
                var layer = model.Model.Layers[index];
                var prefix = $"model.layers.{index}.";
                var groups = scheme.TrueSequential ? SequentialGroups : [SequentialGroups.SelectMany(g => g).ToList()];
                foreach (var group in groups)
                {
                    var captures = group.ToDictionary(n => n, n => Wrap(layer, n), StringComparer.Ordinal);
                    try
                    {
                        foreach (var state in states)
                            layer.forward(state.Hidden, state.Cos, state.Sin, null, null).Dispose();
                    }
                    finally
                    {
                        foreach (var (name, capture) in captures)
                            SetLinear(layer, name, capture.Inner);
                    }
                    foreach (var (name, capture) in captures)
                    {
                        using (capture)
                        {
                            var linear = (DenseLinear)capture.Inner;
                            progress?.Invoke($"layer {index}: {name} ({linear.OutFeatures}×{linear.InFeatures}, {capture.Samples} samples)");
                            var quantized = Gptq.Quantize(linear.weight, capture.Hessian, scheme);
                            WriteBack(linear, quantized);
                            result[prefix + name] = quantized;
                        }
                    }
                }
                // The next layer's inputs are this (now quantized) layer's outputs.
                foreach (var state in states)
                {
                    var next = layer.forward(state.Hidden, state.Cos, state.Sin, null, null);
                    state.Hidden.Dispose();
                    state.Hidden = next;
                }
            }
        }
        finally
        {
            foreach (var state in states)
                state.Dispose();
        }
        return result;
    }

    /// <summary>Every decoder-layer linear (q/k/v/o, gate/up/down) by full name, as dense layers.</summary>
    public static IReadOnlyList<KeyValuePair<string, DenseLinear>> DecoderLinears(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var linears = new List<KeyValuePair<string, DenseLinear>>();
        foreach (var (name, module) in model.NamedLinears())
        {
            if (name == "lm_head")
                continue;
            if (module is not DenseLinear dense)
                throw new InvalidOperationException($"{name} is a {module.GetType().Name}; quantize a plain model (merge LoRA adapters first).");
            linears.Add(new(name, dense));
        }
        return linears;
    }

    private static void WriteBack(DenseLinear linear, QuantizedWeight quantized)
    {
        using var noGrad = no_grad();
        using var dequantized = quantized.Dequantize();
        linear.weight.copy_(dequantized);
    }

    private static HessianCapture Wrap(Qwen2DecoderLayer layer, string name)
    {
        var (host, linearName) = Host(layer, name);
        var linear = (DenseLinear)host.GetLinear(linearName);
        var capture = new HessianCapture(linear, linear.InFeatures);
        host.SetLinear(linearName, capture);
        return capture;
    }

    private static void SetLinear(Qwen2DecoderLayer layer, string name, nn.Module<Tensor, Tensor> module)
    {
        var (host, linearName) = Host(layer, name);
        host.SetLinear(linearName, module);
    }

    private static (ILinearHost Host, string Name) Host(Qwen2DecoderLayer layer, string name) => name.Split('.') switch
    {
        ["self_attn", var linear] => (layer.SelfAttention, linear),
        ["mlp", var linear] => (layer.Mlp, linear),
        _ => throw new ArgumentException($"Unknown decoder linear '{name}'.", nameof(name)),
    };

    private static CalibrationState Embed(Qwen2ForCausalLM model, int[] ids)
    {
        using var scope = NewDisposeScope();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length], ScalarType.Int64, model.Device);
        var hidden = model.Model.EmbedTokens.call(input);
        var positions = arange(0, ids.Length, 1, ScalarType.Int64, model.Device).unsqueeze(0);
        var (cos, sin) = model.Model.RotaryTables(positions, hidden.dtype);
        return new CalibrationState(hidden.MoveToOuterDisposeScope(), cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>One calibration sample on its way through the layers: hidden states and its rotary tables.</summary>
    private sealed class CalibrationState(Tensor hidden, Tensor cos, Tensor sin) : IDisposable
    {
        public Tensor Hidden { get; set; } = hidden;

        public Tensor Cos { get; } = cos;

        public Tensor Sin { get; } = sin;

        public void Dispose()
        {
            Hidden.Dispose();
            Cos.Dispose();
            Sin.Dispose();
        }
    }
}
