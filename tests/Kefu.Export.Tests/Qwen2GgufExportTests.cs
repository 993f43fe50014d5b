using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Testing;

namespace Kefu.Export.Tests;

public sealed class Qwen2GgufExportTests
{
    [Fact]
    public void Export_TinyModelAsQ8_0_WritesQwen2MetadataTokenizerAndTensorsThatReadBack()
    {
        using var temp = new TempDirectory();
        using var model = TinyModelFolders.CreateModel();
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var path = temp.File("model.gguf");

        Qwen2GgufExporter.Export(folder, path, GgufOutputType.Q8_0, name: "tiny");
        var file = GgufFile.Read(path);

        file["general.architecture"].AsString().ShouldBe("qwen2");
        file["qwen2.block_count"].AsInteger().ShouldBe(2);
        file["qwen2.embedding_length"].AsInteger().ShouldBe(64);
        file["qwen2.feed_forward_length"].AsInteger().ShouldBe(176);
        file["qwen2.attention.head_count"].AsInteger().ShouldBe(4);
        file["qwen2.attention.head_count_kv"].AsInteger().ShouldBe(2);
        file["qwen2.context_length"].AsInteger().ShouldBe(32768);
        file["qwen2.rope.freq_base"].AsDouble().ShouldBe(1_000_000.0);
        file["qwen2.attention.layer_norm_rms_epsilon"].AsDouble().ShouldBe(1e-6, 1e-12);
        file["general.file_type"].AsInteger().ShouldBe(7);
        file["tokenizer.ggml.model"].AsString().ShouldBe("gpt2");
        file["tokenizer.ggml.pre"].AsString().ShouldBe("qwen2");
        var tokens = (string[])file["tokenizer.ggml.tokens"].Value;
        var types = (int[])file["tokenizer.ggml.token_type"].Value;
        tokens.Length.ShouldBe(151936);
        tokens[151645].ShouldBe("<|im_end|>");
        types[151645].ShouldBe(GgufTokenizerMetadata.Control);
        types[0].ShouldBe(GgufTokenizerMetadata.Normal);
        tokens[151935].ShouldBe("[PAD151935]");
        types[151935].ShouldBe(GgufTokenizerMetadata.Unused);
        ((string[])file["tokenizer.ggml.merges"].Value)[0].ShouldBe("Ġ Ġ");
        file["tokenizer.ggml.eos_token_id"].AsInteger().ShouldBe(151645);
        file["tokenizer.ggml.padding_token_id"].AsInteger().ShouldBe(151643);
        file["tokenizer.chat_template"].AsString().ShouldContain("<|im_start|>");

        // Tied embeddings: no output tensor; 1 + 2 × 12 + 1 tensors.
        file.Tensors.Count.ShouldBe(26);
        file.Tensors.ShouldNotContain(t => t.Name == "output.weight");
        file.Tensor("blk.1.attn_q.bias").Type.ShouldBe(GgmlType.F32);
        file.Tensor("blk.0.attn_norm.weight").Type.ShouldBe(GgmlType.F32);
        file.Tensor("blk.0.ffn_gate.weight").Dimensions.ShouldBe([64L, 176L]);
        file.Tensor("blk.0.ffn_gate.weight").Type.ShouldBe(GgmlType.Q8_0);
        file.Tensor("blk.0.ffn_down.weight").Type.ShouldBe(GgmlType.F16, "176 columns are not whole 32-value blocks");

        var weights = model.NamedWeights().ToDictionary(w => w.Key, w => w.Value);
        var expected = weights["model.layers.1.self_attn.k_proj.weight"].contiguous().data<float>().ToArray();
        file.ReadBytes("blk.1.attn_k.weight").ShouldBe(GgmlQuants.QuantizeQ8_0(expected));
        var bias = weights["model.layers.0.self_attn.v_proj.bias"].data<float>().ToArray();
        file.ReadFloats("blk.0.attn_v.bias").ShouldBe(bias);
    }

    [Fact]
    public void Export_Q4_0_KeepsEmbeddingAtQ8_0AndQuantizesLayersToQ4_0()
    {
        using var temp = new TempDirectory();
        using var model = TinyModelFolders.CreateModel(seed: 9);
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var path = temp.File("model.gguf");

        Qwen2GgufExporter.Export(folder, path, GgufOutputType.Q4_0);
        var file = GgufFile.Read(path);

        file["general.file_type"].AsInteger().ShouldBe(2);
        file["general.quantization_version"].AsInteger().ShouldBe(2);
        file.Tensor("token_embd.weight").Type.ShouldBe(GgmlType.Q8_0);
        file.Tensor("blk.0.attn_q.weight").Type.ShouldBe(GgmlType.Q4_0);
        using var q = model.NamedWeights().Single(w => w.Key == "model.layers.0.self_attn.q_proj.weight").Value.contiguous();
        var original = q.data<float>().ToArray();
        var back = file.ReadFloats("blk.0.attn_q.weight");
        back.Length.ShouldBe(original.Length);
        // Q4_0 steps are max|x|/8 per 32 values; every value stays within one step.
        var worst = original.Zip(back, (a, b) => Math.Abs(a - b)).Max();
        worst.ShouldBeLessThan(original.Max(Math.Abs) / 8 + 1e-3f);
    }

    [Fact]
    public void TryMap_HuggingFaceNames_FollowLlamaCppQwen2Names()
    {
        Qwen2GgufNames.TryMap("model.layers.12.self_attn.o_proj.weight").ShouldBe("blk.12.attn_output.weight");
        Qwen2GgufNames.TryMap("model.layers.0.post_attention_layernorm.weight").ShouldBe("blk.0.ffn_norm.weight");
        Qwen2GgufNames.TryMap("model.layers.3.mlp.down_proj.weight").ShouldBe("blk.3.ffn_down.weight");
        Qwen2GgufNames.TryMap("lm_head.weight").ShouldBe("output.weight");
        Qwen2GgufNames.TryMap("model.layers.0.self_attn.rotary_emb.inv_freq").ShouldBeNull();
    }
}
