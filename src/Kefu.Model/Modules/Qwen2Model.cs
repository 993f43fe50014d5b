using Kefu.Model.Configuration;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>The Qwen2 decoder stack (transformers' Qwen2Model): embed_tokens → layers → norm.</summary>
public sealed class Qwen2Model : nn.Module
{
    private readonly TokenEmbedding embed_tokens;
    private readonly ModuleList<Qwen2DecoderLayer> layers;
    private readonly RMSNorm norm;
    private readonly RotaryEmbedding _rotary;
    private readonly Qwen2DecoderLayer[] _layerArray;

    public Qwen2Model(Qwen2Config config, ScalarType dtype, Device device) : base(nameof(Qwen2Model))
    {
        embed_tokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, dtype, device);
        layers = new ModuleList<Qwen2DecoderLayer>();
        for (var i = 0; i < config.NumHiddenLayers; i++)
            layers.Add(new Qwen2DecoderLayer(config, i, dtype, device));
        _layerArray = [.. layers];
        norm = new RMSNorm(config.HiddenSize, config.RmsNormEps, dtype, device);
        _rotary = new RotaryEmbedding(config.HeadDim, config.RopeTheta);
        register_module(nameof(embed_tokens), embed_tokens);
        register_module(nameof(layers), layers);
        register_module(nameof(norm), norm);
    }

    public TokenEmbedding EmbedTokens => embed_tokens;

    public IReadOnlyList<Qwen2DecoderLayer> Layers => _layerArray;

    /// <summary>The final norm, for callers that run <see cref="Layers"/> one at a time (activation checkpointing).</summary>
    public RMSNorm Norm => norm;

    /// <summary>The rotary cos/sin tables [B, T, headDim] for positions [B, T], as <see cref="forward"/> computes them.</summary>
    public (Tensor Cos, Tensor Sin) RotaryTables(Tensor positionIds, ScalarType dtype) => _rotary.forward(positionIds, dtype);

    /// <summary>
    /// ids [B, T] at positions [B, T] → final hidden states [B, T, hidden]. <paramref name="mask"/> is the boolean
    /// [B, 1, T, keys] mask from <see cref="AttentionMasks"/> (null: nothing to mask). The cache, when given, is
    /// read and extended by T positions. <paramref name="packing"/> (training on packed rows, without mask and cache)
    /// keeps attention within each packed sample.
    /// </summary>
    public Tensor forward(Tensor inputIds, Tensor positionIds, Tensor? mask, KvCache? cache, PackedLayout? packing = null)
    {
        using var scope = NewDisposeScope();
        var hidden = embed_tokens.call(inputIds);
        var (cos, sin) = _rotary.forward(positionIds, hidden.dtype);
        foreach (var layer in _layerArray)
            hidden = layer.forward(hidden, cos, sin, mask, cache, packing);
        cache?.Advance((int)inputIds.shape[1]);
        return norm.call(hidden).MoveToOuterDisposeScope();
    }

    protected override void RegisterComponents() { }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _rotary.Dispose();
        base.Dispose(disposing);
    }
}
