using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Qwen2 grouped-query self-attention: q/k/v projections with bias, o_proj without; rotary embeddings on q and k;
/// scaled_dot_product_attention over the KV cache. Query heads sharing a key/value head are folded into the query
/// length ([B, kvHeads, groups·T, D]) instead of repeating keys and values per head, which is the same arithmetic
/// without copying the cache every step.
/// </summary>
public sealed class Qwen2Attention : nn.Module, ILinearHost
{
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headDim;
    private readonly LinearLayers _linears;

    public Qwen2Attention(Qwen2Config config, ScalarType dtype, Device device) : base(nameof(Qwen2Attention))
    {
        _heads = config.NumAttentionHeads;
        _kvHeads = config.NumKeyValueHeads;
        _headDim = config.HeadDim;
        var hidden = config.HiddenSize;
        _linears = new LinearLayers(this, nameof(Qwen2Attention));
        _linears.Add(nameof(q_proj), new DenseLinear(hidden, _heads * _headDim, hasBias: true, dtype, device));
        _linears.Add(nameof(k_proj), new DenseLinear(hidden, _kvHeads * _headDim, hasBias: true, dtype, device));
        _linears.Add(nameof(v_proj), new DenseLinear(hidden, _kvHeads * _headDim, hasBias: true, dtype, device));
        _linears.Add(nameof(o_proj), new DenseLinear(_heads * _headDim, hidden, hasBias: false, dtype, device));
    }

    public IReadOnlyList<string> LinearNames => _linears.Names;

    private nn.Module<Tensor, Tensor> q_proj => _linears[nameof(q_proj)];

    private nn.Module<Tensor, Tensor> k_proj => _linears[nameof(k_proj)];

    private nn.Module<Tensor, Tensor> v_proj => _linears[nameof(v_proj)];

    private nn.Module<Tensor, Tensor> o_proj => _linears[nameof(o_proj)];

    /// <summary>
    /// hidden [B, T, hidden] → [B, T, hidden]. cos/sin [B, T, D]; mask [B, 1, T, keys] or null; <paramref name="packing"/>
    /// (training on packed rows, no mask or cache): attention within each packed sample only.
    /// </summary>
    public Tensor forward(Tensor hidden, Tensor cos, Tensor sin, Tensor? mask, KvCache? cache, int layerIndex, PackedLayout? packing = null)
    {
        using var scope = NewDisposeScope();
        var batch = hidden.shape[0];
        var length = hidden.shape[1];
        var q = q_proj.call(hidden).view(batch, length, _heads, _headDim).transpose(1, 2);
        var k = k_proj.call(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        var v = v_proj.call(hidden).view(batch, length, _kvHeads, _headDim).transpose(1, 2);
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        var past = cache?.Length ?? 0;
        if (cache is not null)
            (k, v) = cache.Append(layerIndex, k, v);

        var groups = _heads / _kvHeads;
        Tensor attended;
        if (packing is not null)
        {
            if (mask is not null || cache is not null)
                throw new ArgumentException("Packed rows take neither a mask nor a cache.", nameof(packing));
            attended = packing.Attend(q, k, v, groups);
        }
        else if (mask is null && length > 1)
        {
            // Plain causal prefill: the kernel's own causal path needs no mask in memory (a 4k prompt's mask, folded
            // for grouped heads, would be hundreds of MB). Its mask is aligned top-left, so only from position 0.
            if (past != 0)
                throw new InvalidOperationException("A causal prefill without a mask must start at position 0.");
            var keys = groups == 1 ? k : k.repeat_interleave(groups, dim: 1);
            var values = groups == 1 ? v : v.repeat_interleave(groups, dim: 1);
            attended = nn.functional.scaled_dot_product_attention(q, keys, values, is_casual: true);
        }
        else
        {
            // Head h uses key/value head h / groups (transformers' repeat_kv), so heads split as [kvHeads, groups],
            // and each group's queries can share the cached keys and values without copying them.
            var grouped = q.reshape(batch, _kvHeads, groups * length, _headDim);
            var groupedMask = mask is null || groups == 1 ? mask : mask.repeat(1, 1, groups, 1);
            attended = nn.functional.scaled_dot_product_attention(grouped, k, v, groupedMask);
        }
        var output = attended.reshape(batch, _heads, length, _headDim).transpose(1, 2).reshape(batch, length, _heads * _headDim);
        return o_proj.call(output).MoveToOuterDisposeScope();
    }

    public nn.Module<Tensor, Tensor> GetLinear(string name) => _linears[name];

    public void SetLinear(string name, nn.Module<Tensor, Tensor> replacement) => _linears.Replace(name, replacement);

    protected override void RegisterComponents() { }
}
