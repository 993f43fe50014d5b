using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Export.Tests;

public sealed class Qwen2GgufKQuantExportTests
{
    [Fact]
    public void Export_Q4_K_M_TinyModel_WritesLlamaCppsMixWithFallbacksAndValuesThatReadBack()
    {
        // Hidden 128 (not a multiple of 256, like Qwen2-0.5B's 896) and intermediate 256, two layers:
        // use_more_bits(i, 2) holds for layer 1 only.
        using var temp = new TempDirectory();
        var config = Qwen2Shapes.Get("tiny") with { HiddenSize = 128, IntermediateSize = 256 };
        using var model = new Qwen2ForCausalLM(config, ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, 21, std: 0.2, perturbNormsAndBiases: true);
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var path = temp.File("model.gguf");

        Qwen2GgufExporter.Export(folder, path, GgufOutputType.Q4_K_M);
        var file = GgufFile.Read(path);

        file["general.file_type"].AsInteger().ShouldBe(15);
        file["general.quantization_version"].AsInteger().ShouldBe(2);
        var types = file.Tensors.ToDictionary(t => t.Name, t => t.Type);
        types["token_embd.weight"].ShouldBe(GgmlType.Q8_0, "tied head, 128-wide rows: Q6_K does not fit, llama.cpp picks Q8_0");
        types["blk.0.attn_q.weight"].ShouldBe(GgmlType.Q5_0, "Q4_K falls back to Q5_0 for 128-wide rows");
        types["blk.0.attn_v.weight"].ShouldBe(GgmlType.Q5_0);
        types["blk.1.attn_v.weight"].ShouldBe(GgmlType.Q8_0, "a more-bits layer: Q6_K falls back to Q8_0");
        types["blk.1.ffn_up.weight"].ShouldBe(GgmlType.Q5_0);
        types["blk.0.ffn_down.weight"].ShouldBe(GgmlType.Q4_K, "256-wide rows take the k-quant");
        types["blk.1.ffn_down.weight"].ShouldBe(GgmlType.Q6_K);
        types["blk.1.attn_q.bias"].ShouldBe(GgmlType.F32);
        types["output_norm.weight"].ShouldBe(GgmlType.F32);

        var weights = model.NamedWeights().ToDictionary(w => w.Key, w => w.Value.contiguous().data<float>().ToArray());
        var down1 = weights["model.layers.1.mlp.down_proj.weight"];
        file.ReadBytes("blk.1.ffn_down.weight").ShouldBe(GgmlQuants.FromFloats(down1, GgmlType.Q6_K));
        foreach (var (hfName, ggufName, relativeRmse) in new[]
        {
            ("model.layers.0.mlp.down_proj.weight", "blk.0.ffn_down.weight", 0.12),     // 4-bit: about 1/10 of the spread
            ("model.layers.1.mlp.down_proj.weight", "blk.1.ffn_down.weight", 0.03),     // 6-bit
            ("model.layers.0.self_attn.q_proj.weight", "blk.0.attn_q.weight", 0.07),   // 5-bit
            ("model.embed_tokens.weight", "token_embd.weight", 0.02),                  // 8-bit
        })
        {
            var source = weights[hfName];
            var back = file.ReadFloats(ggufName);
            back.Length.ShouldBe(source.Length);
            var rms = Math.Sqrt(source.Average(v => (double)v * v));
            (Q4KFormatTests.Rmse(source, back) / rms).ShouldBeLessThan(relativeRmse, ggufName);
        }
    }
}
