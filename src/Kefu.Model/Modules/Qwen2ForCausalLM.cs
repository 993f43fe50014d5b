using Kefu.Model.Configuration;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>
/// Qwen2 with its language-model head, parameter for parameter as transformers' Qwen2ForCausalLM
/// (model.embed_tokens.weight, model.layers.{i}.self_attn.q_proj.weight/bias, …, model.norm.weight, lm_head.weight),
/// so Hugging Face safetensors load one to one. With tie_word_embeddings the head reuses the embedding table and
/// has no parameter of its own (nor a tensor in the checkpoint).
/// Parameters are created uninitialised and frozen; load a checkpoint or run <see cref="Qwen2WeightInit"/>.
/// </summary>
public sealed class Qwen2ForCausalLM : nn.Module
{
    private readonly Qwen2Model model;
    private readonly DenseLinear? lm_head;

    public Qwen2ForCausalLM(Qwen2Config config, ScalarType dtype = ScalarType.Float32, Device? device = null) : base(nameof(Qwen2ForCausalLM))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        DType = dtype;
        Device = device ?? CPU;
        model = new Qwen2Model(config, dtype, Device);
        register_module(nameof(model), model);
        if (!config.TieWordEmbeddings)
        {
            lm_head = new DenseLinear(config.HiddenSize, config.VocabSize, hasBias: false, dtype, Device);
            register_module(nameof(lm_head), lm_head);
        }
    }

    public Qwen2Config Config { get; }

    public ScalarType DType { get; }

    public Device Device { get; }

    public Qwen2Model Model => model;

    /// <summary>The output projection's weight [vocab, hidden]: lm_head.weight, or the embedding table when tied.</summary>
    public Tensor OutputWeight => lm_head?.weight ?? model.EmbedTokens.weight;

    /// <summary>
    /// Logits [B, T, vocab] (or [B, 1, vocab] with <paramref name="lastTokenOnly"/>, which spares the large head
    /// projection for every prompt token during generation).
    /// </summary>
    /// <param name="inputIds">Token ids [B, T].</param>
    /// <param name="positionIds">Positions [B, T]; default cache length … cache length + T − 1 for every row.</param>
    /// <param name="keyIsReal">[B, keys] with keys = cache length + T: false for left padding. Null: no padding.</param>
    /// <param name="cache">KV cache to read and extend, or null for a stand-alone forward pass.</param>
    /// <param name="lastTokenOnly">Project only the last position to the vocabulary.</param>
    public Tensor forward(Tensor inputIds, Tensor? positionIds = null, Tensor? keyIsReal = null, KvCache? cache = null, bool lastTokenOnly = false)
    {
        using var scope = NewDisposeScope();
        var past = cache?.Length ?? 0;
        var length = (int)inputIds.shape[1];
        positionIds ??= arange(past, past + length, ScalarType.Int64, inputIds.device).unsqueeze(0).expand(inputIds.shape[0], length);
        var mask = AttentionMasks.Build(past, length, keyIsReal, inputIds.device);
        var hidden = model.forward(inputIds, positionIds, mask, cache);
        if (lastTokenOnly)
            hidden = hidden.narrow(1, length - 1, 1);
        var logits = lm_head is null ? DenseLinear.Apply(hidden, model.EmbedTokens.weight) : lm_head.call(hidden);
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>Every parameter under its checkpoint name, in model order.</summary>
    public IReadOnlyList<KeyValuePair<string, Tensor>> NamedWeights() =>
        named_parameters().Select(p => new KeyValuePair<string, Tensor>(p.name, p.parameter)).ToList();

    /// <summary>Total number of parameter elements (tied weights counted once).</summary>
    public long ParameterCount => named_parameters().Sum(p => p.parameter.NumberOfElements);

    /// <summary>Every replaceable linear layer by full name (model.layers.0.self_attn.q_proj, …).</summary>
    public IReadOnlyList<KeyValuePair<string, nn.Module<Tensor, Tensor>>> NamedLinears()
    {
        var linears = new List<KeyValuePair<string, nn.Module<Tensor, Tensor>>>();
        foreach (var (name, module) in named_modules())
        {
            if (module is ILinearHost host)
            {
                foreach (var linear in host.LinearNames)
                    linears.Add(new(name + "." + linear, host.GetLinear(linear)));
            }
        }
        if (lm_head is not null)
            linears.Add(new(nameof(lm_head), lm_head));
        return linears;
    }

    /// <summary>
    /// Replaces the linear layer <paramref name="fullName"/> (e.g. model.layers.3.self_attn.q_proj) with what
    /// <paramref name="replace"/> makes of the current one: a LoRA wrapper, an int4 layer. lm_head is not replaceable.
    /// </summary>
    public void ReplaceLinear(string fullName, Func<nn.Module<Tensor, Tensor>, nn.Module<Tensor, Tensor>> replace)
    {
        ArgumentNullException.ThrowIfNull(replace);
        var cut = fullName.LastIndexOf('.');
        var hostName = cut < 0 ? "" : fullName[..cut];
        var linearName = fullName[(cut + 1)..];
        var host = named_modules().Where(m => m.name == hostName).Select(m => m.module).OfType<ILinearHost>().FirstOrDefault()
            ?? throw new ArgumentException($"No replaceable linear layer '{fullName}' (expected e.g. model.layers.0.self_attn.q_proj or model.layers.0.mlp.down_proj).", nameof(fullName));
        host.SetLinear(linearName, replace(host.GetLinear(linearName)));
    }

    protected override void RegisterComponents() { }
}
