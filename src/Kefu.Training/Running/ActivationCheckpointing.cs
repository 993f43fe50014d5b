using Kefu.Model.Lora;
using Kefu.Model.Modules;
using Kefu.Training.Data;
using static TorchSharp.torch;

namespace Kefu.Training.Running;

/// <summary>
/// Forward and backward with activation checkpointing per decoder layer (torch.utils.checkpoint's idea; TorchSharp
/// has no such utility). The forward pass runs every layer without autograd and keeps only the layer inputs
/// ([B, T, hidden] each) instead of every intermediate (attention projections, MLP's 2×intermediate-wide activations,
/// LoRA inputs). The loss is then backpropagated to the last layer's output, and the layers are walked backwards:
/// each is recomputed from its saved input with autograd on and given the gradient of its output, which yields the
/// LoRA gradients and the gradient of its input for the layer below. Peak activation memory drops from all layers'
/// intermediates to one layer's, for one extra forward pass of the decoder stack.
/// The recomputation replays the LoRA dropout masks by rewinding the dropout generator to where it stood before the
/// layer's first pass, so the gradients equal those of plain backpropagation.
/// </summary>
public static class ActivationCheckpointing
{
    /// <summary>
    /// Accumulates the gradient of <c>scale · (summed loss)</c> into the trainable parameters, as
    /// <c>(CausalLmLoss.Sum(...) * scale).backward()</c> would; returns the unscaled loss sum and the batch's target
    /// and token counts.
    /// </summary>
    public static (double LossSum, int Targets, int Tokens) Backward(Qwen2ForCausalLM model, IReadOnlyList<PackedSequence> batch, double scale, LoraDropout? dropout)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var scope = NewDisposeScope();
        var prepared = CausalLmLoss.Prepare(model, batch);
        var stack = model.Model;
        var layers = stack.Layers;
        var inputs = new Tensor[layers.Count];
        var dropoutStates = new Tensor?[layers.Count];
        Tensor hidden, cos, sin;
        using (no_grad())
        {
            hidden = stack.EmbedTokens.call(prepared.InputIds);
            (cos, sin) = stack.RotaryTables(prepared.PositionIds, hidden.dtype);
            for (var i = 0; i < layers.Count; i++)
            {
                inputs[i] = hidden;
                dropoutStates[i] = dropout?.SaveState();
                hidden = layers[i].forward(hidden, cos, sin, mask: null, cache: null, prepared.Layout);
            }
        }

        // Norm, head and loss with autograd, from the last layer's output as a leaf.
        var last = hidden.requires_grad_(true);
        var loss = CausalLmLoss.FromHidden(model, stack.Norm.call(last), prepared);
        var lossSum = loss.item<float>();
        (loss * scale).backward();
        var gradient = last.grad ?? throw new InvalidOperationException("The loss does not depend on the decoder output.");
        last.Dispose();

        for (var i = layers.Count - 1; i >= 0; i--)
        {
            if (dropoutStates[i] is { } state)
                dropout!.RestoreState(state);
            // The embeddings are frozen, so the first layer's input needs no gradient.
            var layerInput = i == 0 ? inputs[i] : inputs[i].requires_grad_(true);
            using (var layerScope = NewDisposeScope())
            {
                var output = layers[i].forward(layerInput, cos, sin, mask: null, cache: null, prepared.Layout);
                output.backward([gradient]);
            }
            gradient.Dispose();
            if (i > 0)
                gradient = layerInput.grad ?? throw new InvalidOperationException($"Layer {i}'s output does not depend on its input.");
            layerInput.Dispose();
        }
        return (lossSum, prepared.Targets, prepared.Tokens);
    }
}
