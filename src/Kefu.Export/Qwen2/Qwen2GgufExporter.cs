using Kefu.Export.Gguf;
using Kefu.Export.Imatrix;
using Kefu.Model.Configuration;
using Kefu.Model.Quantization;
using Kefu.Model.Safetensors;
using static TorchSharp.torch;

namespace Kefu.Export.Qwen2;

/// <summary>
/// A Hugging Face Qwen2 model folder (merged, float weights) → one GGUF v3 file that llama.cpp and Ollama load:
/// the qwen2 hyper-parameters, the tokenizer (<see cref="GgufTokenizerMetadata"/>) and every tensor under its GGUF
/// name. As convert_hf_to_gguf.py, 1-D tensors (norms, biases) stay F32 and 2-D weights take the chosen type; under
/// the quantized types each tensor's type is the one llama-quantize would pick (<see cref="GgufQuantMix"/>: the output
/// head at Q6_K, Q4_K_M's Q6_K layers, fallbacks for rows that are not whole blocks).
/// </summary>
public static class Qwen2GgufExporter
{
    public static IReadOnlyList<KeyValuePair<string, GgufValue>> Metadata(Qwen2Config config, GgufOutputType type, string name)
    {
        ArgumentNullException.ThrowIfNull(config);
        var metadata = new List<KeyValuePair<string, GgufValue>>
        {
            new("general.architecture", GgufValue.Of("qwen2")),
            new("general.type", GgufValue.Of("model")),
            new("general.name", GgufValue.Of(name)),
            new("qwen2.block_count", GgufValue.Of((uint)config.NumHiddenLayers)),
            new("qwen2.context_length", GgufValue.Of((uint)config.MaxPositionEmbeddings)),
            new("qwen2.embedding_length", GgufValue.Of((uint)config.HiddenSize)),
            new("qwen2.feed_forward_length", GgufValue.Of((uint)config.IntermediateSize)),
            new("qwen2.attention.head_count", GgufValue.Of((uint)config.NumAttentionHeads)),
            new("qwen2.attention.head_count_kv", GgufValue.Of((uint)config.NumKeyValueHeads)),
            new("qwen2.rope.freq_base", GgufValue.Of((float)config.RopeTheta)),
            new("qwen2.attention.layer_norm_rms_epsilon", GgufValue.Of((float)config.RmsNormEps)),
            new("general.file_type", GgufValue.Of(type.FileType())),
        };
        if (type.WeightType().BlockElements() > 1)
            metadata.Add(new("general.quantization_version", GgufValue.Of(2u)));
        return metadata;
    }

    /// <summary>
    /// Writes the GGUF file; returns the tensors written (name and type). With <paramref name="importance"/> the
    /// quantized tensors it has a vector for are quantized as llama-quantize --imatrix does (see
    /// <see cref="ImportanceQuants"/>) and the file records the matrix's provenance (quantize.imatrix.*).
    /// </summary>
    public static IReadOnlyList<GgufTensorSource> Export(string modelDirectory, string outputPath, GgufOutputType type, string? name = null,
        string? chatTemplate = null, Action<GgufTensorSource>? onWritten = null, ImportanceMatrix? importance = null)
    {
        var config = Qwen2Config.Load(modelDirectory);
        if (GptqQuantizeConfig.TryLoad(modelDirectory, config) is not null)
            throw new GgufFormatException($"{modelDirectory}: this is a GPTQ checkpoint; export the float model (the merged bf16/f16 folder) and let GGUF quantize it (--type q4_k_m, q4_0 or q8_0).");
        name ??= Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory)));
        var metadata = Metadata(config, type, name).Concat(GgufTokenizerMetadata.Build(modelDirectory, config, chatTemplate)).ToList();
        if (importance is not null && type.WeightType().UsesImportance())
            metadata.AddRange(ImportanceMetadata(importance));
        using var checkpoint = SafetensorsCheckpoint.Open(modelDirectory);
        var missing = RequiredNames(config).Where(n => !checkpoint.TensorNames.Contains(n)).ToList();
        if (missing.Count > 0)
            throw new GgufFormatException($"{modelDirectory}: the checkpoint lacks {missing.Count} tensors a Qwen2 GGUF needs: {string.Join(", ", missing.Take(5))}{(missing.Count > 5 ? ", …" : "")}.");
        var tensors = new List<GgufTensorSource>();
        foreach (var hfName in OrderedNames(checkpoint, config))
        {
            if (config.TieWordEmbeddings && hfName == "lm_head.weight")
                continue; // llama.cpp reuses token_embd when there is no output tensor.
            var ggufName = Qwen2GgufNames.TryMap(hfName)
                ?? throw new GgufFormatException($"{modelDirectory}: tensor '{hfName}' has no place in a Qwen2 GGUF (is this a Qwen2 checkpoint?).");
            var info = checkpoint.Info(hfName);
            var dimensions = info.Shape.Reverse().ToArray();
            var tensorType = GgufQuantMix.TypeFor(ggufName, dimensions, type, config.NumHiddenLayers, hasOutputTensor: !config.TieWordEmbeddings);
            var source = hfName;
            var vector = tensorType.UsesImportance() ? importance?.For(ggufName) : null;
            if (vector is not null && vector.Length != dimensions[0])
                throw new GgufFormatException($"The importance matrix's {ggufName} has {vector.Length} values; the tensor's rows have {dimensions[0]} (was it computed on another model?).");
            tensors.Add(new GgufTensorSource(ggufName, dimensions, tensorType, () =>
            {
                using var scope = NewDisposeScope();
                var values = checkpoint.Read(source).to(ScalarType.Float32).contiguous().data<float>().ToArray();
                return vector is null ? GgmlQuants.FromFloats(values, tensorType) : ImportanceQuants.FromFloats(values, tensorType, vector);
            }));
        }
        GgufWriter.Write(outputPath, metadata, tensors, onWritten);
        return tensors;
    }

    /// <summary>llama-quantize's provenance keys (LLM_KV_QUANTIZE_IMATRIX_*); int32 as its kv overrides write them.</summary>
    public static IReadOnlyList<KeyValuePair<string, GgufValue>> ImportanceMetadata(ImportanceMatrix importance)
    {
        ArgumentNullException.ThrowIfNull(importance);
        var keys = new List<KeyValuePair<string, GgufValue>>();
        if (importance.SourceFile is { } file)
            keys.Add(new("quantize.imatrix.file", GgufValue.Of(file)));
        keys.Add(new("quantize.imatrix.dataset", GgufValue.Of(importance.Dataset)));
        keys.Add(new("quantize.imatrix.entries_count", GgufValue.Of(importance.Entries.Count)));
        keys.Add(new("quantize.imatrix.chunks_count", GgufValue.Of(importance.Chunks)));
        return keys;
    }

    private static IEnumerable<string> OrderedNames(SafetensorsCheckpoint checkpoint, Qwen2Config config)
    {
        var names = checkpoint.TensorNames.ToHashSet(StringComparer.Ordinal);
        var ordered = RequiredNames(config).Append("lm_head.weight").Distinct(StringComparer.Ordinal).ToList();
        return ordered.Where(names.Contains).Concat(names.Except(ordered).Order(StringComparer.Ordinal));
    }

    /// <summary>Every tensor of a Qwen2 checkpoint in llama.cpp's order (lm_head only when untied).</summary>
    private static List<string> RequiredNames(Qwen2Config config)
    {
        var ordered = new List<string> { "model.embed_tokens.weight" };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            foreach (var part in new[]
            {
                "input_layernorm.weight", "self_attn.q_proj.weight", "self_attn.q_proj.bias", "self_attn.k_proj.weight", "self_attn.k_proj.bias",
                "self_attn.v_proj.weight", "self_attn.v_proj.bias", "self_attn.o_proj.weight", "post_attention_layernorm.weight",
                "mlp.gate_proj.weight", "mlp.up_proj.weight", "mlp.down_proj.weight",
            })
                ordered.Add($"model.layers.{i}.{part}");
        }
        ordered.Add("model.norm.weight");
        if (!config.TieWordEmbeddings)
            ordered.Add("lm_head.weight");
        return ordered;
    }
}
