using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Testing;
using Kefu.Testing.LlamaCpp;
using Kefu.Text;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>A Q4_K_M export loaded and run by llama.cpp: its Q4_K, Q6_K, Q5_0 and Q8_0 tensors mean what Kefu meant.</summary>
public sealed class KQuantGgufInLlamaCppTests(ITestOutputHelper output)
{
    private static readonly ChatTurn[] Conversation =
    [
        new(ChatTurn.System, "你是青禾优选的智能客服小禾。"),
        new(ChatTurn.User, "满59元包邮吗？新疆能发货吗？"),
    ];

    [Fact]
    public void Logits_Q4_K_M_InLlamaCpp_EqualKefusForTheDequantizedWeights()
    {
        // Hidden 128 and intermediate 256: attn/ffn_up/gate rows fall back to Q5_0, the tied embedding to Q8_0,
        // layer 1's attn_v to Q8_0, and ffn_down is Q4_K (layer 0) and Q6_K (layer 1), so every new format is read.
        LlamaCppLibraries.Require();
        using var temp = new TempDirectory();
        var config = Qwen2Shapes.Get("tiny") with { HiddenSize = 128, IntermediateSize = 256 };
        using var model = new Qwen2ForCausalLM(config, ScalarType.Float32, CPU);
        // std 0.05 rather than the other tests' 0.2: with weights that large the random network amplifies llama.cpp's
        // 8-bit activation rounding into logit changes of 7–9 % for every quantized type, Q8_0 included.
        Qwen2WeightInit.Initialize(model, 3, std: 0.05, perturbNormsAndBiases: true);
        model.eval();
        var folder = TinyQwen2Exports.WriteFolder(model, temp.File("model"));
        var path = temp.File("q4_k_m.gguf");
        Qwen2GgufExporter.Export(folder, path, GgufOutputType.Q4_K_M);
        var file = GgufFile.Read(path);
        file.Tensors.Select(t => t.Type).Distinct().Order().ShouldBe([GgmlType.F32, GgmlType.Q5_0, GgmlType.Q8_0, GgmlType.Q4_K, GgmlType.Q6_K]);
        using (no_grad())
        {
            foreach (var (name, parameter) in model.NamedWeights())
            {
                using var stored = tensor(file.ReadFloats(Qwen2GgufNames.TryMap(name)!), parameter.shape);
                parameter.copy_(stored);
            }
        }
        var ids = ChatTemplate.TokenizePrompt(Qwen2Tokenizer.FromDirectory(folder), Conversation);
        using var llama = LlamaCppModel.Load(path);

        var expected = TinyQwen2Exports.KefuLogits(model, ids);
        var actual = llama.EvaluateLogits(ids);

        // llama.cpp multiplies quantized weights with activations it rounds to 8 bits (Q8_K blocks for the k-quants,
        // Q8_0 for Q5_0/Q8_0). On this model that alone moves the logits by 1.3–1.6 % of the largest one for every
        // type (Q8_0 1.45 %, Q4_0 1.31 %, Q6_K 1.63 %, Q4_K_M 1.63 % when measured); a misread block (wrong scale,
        // min, nibble order or sign) would move them by their own size.
        var comparison = LogitsComparison.Of(expected, actual);
        output.WriteLine($"Q4_K_M: {ids.Length} tokens, {comparison}");
        comparison.RelativeDifference.ShouldBeLessThan(0.03, comparison.ToString());
    }
}
