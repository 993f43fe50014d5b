using Kefu.Model.Lora;
using Kefu.Model.Modules;

namespace Kefu.Training.Benchmarking;

/// <summary>
/// The matrix-multiply FLOPs one LoRA training step really does (a multiply-add counts 2), so MFU is not flattered
/// by the usual 6·N·tokens, which assumes every weight gets a gradient. With T tokens in the step, S per sequence:
/// <list type="bullet">
/// <item>Frozen base linears (N_base = Σ in·out over q,k,v,o,gate,up,down of every layer): forward 2·N_base·T;
/// backward only the activation gradient dX = dY·W, 2·N_base·T, since frozen weights get no dW. The first layer's
/// q/k/v inputs come from the frozen embeddings, so autograd skips their dX: subtracted.</item>
/// <item>LoRA on a linear [in → out] with rank r: forward x·Aᵀ then ·Bᵀ, 2·r·(in+out)·T; backward dB, d(xAᵀ), dA and
/// dX, 4·r·(in+out)·T (dX again skipped on the first layer's q/k/v).</item>
/// <item>Attention scores and weighted values: QKᵀ and P·V over the causal (unmasked) query-key pairs,
/// S(S+1)/2 per sequence: forward 4·pairs·heads·head_dim per layer, backward twice that (dQ, dK, dV, dP).</item>
/// <item>Head: only target positions are projected to the vocabulary: forward 2·hidden·vocab per target, backward
/// the hidden-state gradient 2·hidden·vocab per target (the tied/frozen table gets no gradient).</item>
/// </list>
/// Norms, rotary, softmax, SiLU, dropout and the optimizer are element-wise and left out (under 1% here).
/// Activation checkpointing does one more forward pass of the decoder layers: counted apart as recompute FLOPs,
/// which the hardware does but the model does not need (MFU excludes them; "hardware FLOPs utilisation" would not).
/// </summary>
public sealed record TrainingFlops(double Forward, double Backward, double Recompute)
{
    /// <summary>The model FLOPs of the step: forward plus backward.</summary>
    public double Model => Forward + Backward;

    public static TrainingFlops Count(Qwen2ForCausalLM model, LoraAdapter adapter, int batch, int sequence, long targets, bool checkpointing)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(adapter);
        var config = model.Config;
        double tokens = (double)batch * sequence;
        var lora = adapter.Layers.ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);

        double baseForward = 0, baseBackward = 0, loraForward = 0, loraBackward = 0;
        foreach (var (name, linear) in model.NamedLinears())
        {
            if (name == "lm_head")
                continue;
            var dense = linear switch
            {
                DenseLinear d => d,
                LoraLinear l => l.BaseLayer,
                _ => throw new InvalidOperationException($"Cannot count FLOPs of {name} ({linear.GetType().Name})."),
            };
            var weights = (double)dense.InFeatures * dense.OutFeatures;
            var needsInputGradient = !IsFedByEmbeddings(name);
            baseForward += 2 * weights * tokens;
            if (needsInputGradient)
                baseBackward += 2 * weights * tokens;
            if (lora.TryGetValue(name, out var adapterLayer))
            {
                var rank = adapterLayer.Rank;
                loraForward += 2.0 * rank * (dense.InFeatures + dense.OutFeatures) * tokens;
                // dB (out·r) and d(xAᵀ) (out·r) always; dA (r·in) always; dX (r·in) only where the input needs it.
                loraBackward += 2.0 * rank * (2.0 * dense.OutFeatures + dense.InFeatures + (needsInputGradient ? dense.InFeatures : 0)) * tokens;
            }
        }

        var pairs = batch * (sequence * (sequence + 1.0) / 2);
        var attentionForward = 4.0 * pairs * config.NumAttentionHeads * config.HeadDim * config.NumHiddenLayers;
        var head = 2.0 * config.HiddenSize * config.VocabSize * targets;
        var layersForward = baseForward + loraForward + attentionForward;
        return new TrainingFlops(
            Forward: layersForward + head,
            Backward: baseBackward + loraBackward + 2 * attentionForward + head,
            Recompute: checkpointing ? layersForward : 0);
    }

    private static bool IsFedByEmbeddings(string name) =>
        name is "model.layers.0.self_attn.q_proj" or "model.layers.0.self_attn.k_proj" or "model.layers.0.self_attn.v_proj";
}
