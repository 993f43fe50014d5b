using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Testing;
using Kefu.Testing.LlamaCpp;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// Kefu's quantized exports against llama.cpp's own llama-quantize run on Kefu's F32 export of the same weights:
/// every tensor must get the same type and the same bytes.
/// </summary>
public sealed class LlamaQuantizeAgreementTests
{
    [Fact]
    public void Export_Q4_K_M_TinyModel_EqualsLlamaQuantizeOfTheF32Export()
    {
        // Hidden 128, intermediate 256: the fallbacks (Q5_0, Q8_0) and both k-quants (ffn_down) appear.
        LlamaCppLibraries.Require();
        using var temp = new TempDirectory();
        var config = Qwen2Shapes.Get("tiny") with { HiddenSize = 128, IntermediateSize = 256 };
        using var model = new Qwen2ForCausalLM(config, ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, 8, std: 0.05, perturbNormsAndBiases: true);
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        Qwen2GgufExporter.Export(folder, temp.File("f32.gguf"), GgufOutputType.F32);
        Qwen2GgufExporter.Export(folder, temp.File("kefu.gguf"), GgufOutputType.Q4_K_M);

        LlamaCppQuantizer.Quantize(temp.File("f32.gguf"), temp.File("llama.gguf"), fileType: 15);

        ShouldHaveTheSameTensors(temp.File("kefu.gguf"), temp.File("llama.gguf"));
    }

    [Theory]
    [InlineData(GgufOutputType.Q4_K_M, true)]
    [InlineData(GgufOutputType.Q4_K_M, false)]
    [InlineData(GgufOutputType.Q6_K, true)]
    [InlineData(GgufOutputType.Q4_0, false)]
    public void Mix_256WideQwen2_EqualsLlamaQuantize(GgufOutputType type, bool tiedEmbeddings)
    {
        // Rows 256 wide so the k-quants fit everywhere; 8 layers so use_more_bits picks layers 0, 3, 6 and 7. A made-up
        // 512-token vocabulary keeps the embedding small: llama-quantize reads the hyper-parameters and the tensors only.
        LlamaCppLibraries.Require();
        using var temp = new TempDirectory();
        const int layers = 8;
        var config = Qwen2Shapes.Get("tiny") with
        {
            HiddenSize = 256, IntermediateSize = 512, NumHiddenLayers = layers, MaxWindowLayers = layers, VocabSize = 512,
            TieWordEmbeddings = tiedEmbeddings,
        };
        var tensors = SyntheticTensors(config);
        WriteGguf(temp.File("f32.gguf"), config, GgufOutputType.F32, tensors);
        WriteGguf(temp.File("kefu.gguf"), config, type, tensors);

        LlamaCppQuantizer.Quantize(temp.File("f32.gguf"), temp.File("llama.gguf"), (int)type.FileType());

        ShouldHaveTheSameTensors(temp.File("kefu.gguf"), temp.File("llama.gguf"));
        if (type == GgufOutputType.Q4_K_M)
        {
            var file = GgufFile.Read(temp.File("kefu.gguf"));
            file.Tensor(tiedEmbeddings ? "token_embd.weight" : "output.weight").Type.ShouldBe(GgmlType.Q6_K);
            file.Tensor("blk.3.attn_v.weight").Type.ShouldBe(GgmlType.Q6_K);
            file.Tensor("blk.4.ffn_down.weight").Type.ShouldBe(GgmlType.Q4_K);
        }
    }

    private static void ShouldHaveTheSameTensors(string kefuPath, string llamaPath)
    {
        var kefu = GgufFile.Read(kefuPath);
        var llama = GgufFile.Read(llamaPath);
        llama["general.file_type"].AsInteger().ShouldBe(kefu["general.file_type"].AsInteger());
        llama.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal).ShouldBe(kefu.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tensor in kefu.Tensors)
        {
            llama.Tensor(tensor.Name).Type.ShouldBe(tensor.Type, tensor.Name);
            llama.ReadBytes(tensor.Name).ShouldBe(kefu.ReadBytes(tensor.Name), $"{tensor.Name} ({tensor.Type})");
        }
    }

    /// <summary>Every Qwen2 tensor of <paramref name="config"/> (GGUF names, ggml dimensions) with weight-like random values.</summary>
    private static List<(string Name, long[] Dimensions, float[] Values)> SyntheticTensors(Qwen2Config config)
    {
        var random = new Random(19);
        long hidden = config.HiddenSize, kv = config.NumKeyValueHeads * config.HeadDim, ffn = config.IntermediateSize;
        var shapes = new List<(string, long[])> { ("token_embd.weight", [hidden, config.VocabSize]) };
        for (var i = 0; i < config.NumHiddenLayers; i++)
        {
            shapes.AddRange(
            [
                ($"blk.{i}.attn_norm.weight", [hidden]), ($"blk.{i}.attn_q.weight", [hidden, hidden]), ($"blk.{i}.attn_q.bias", [hidden]),
                ($"blk.{i}.attn_k.weight", [hidden, kv]), ($"blk.{i}.attn_k.bias", [kv]), ($"blk.{i}.attn_v.weight", [hidden, kv]),
                ($"blk.{i}.attn_v.bias", [kv]), ($"blk.{i}.attn_output.weight", [hidden, hidden]), ($"blk.{i}.ffn_norm.weight", [hidden]),
                ($"blk.{i}.ffn_gate.weight", [hidden, ffn]), ($"blk.{i}.ffn_up.weight", [hidden, ffn]), ($"blk.{i}.ffn_down.weight", [ffn, hidden]),
            ]);
        }
        shapes.Add(("output_norm.weight", [hidden]));
        if (!config.TieWordEmbeddings)
            shapes.Add(("output.weight", [hidden, config.VocabSize]));
        return shapes.Select(s =>
        {
            var values = new float[s.Item2.Aggregate(1L, (a, b) => a * b)];
            for (var j = 0; j < values.Length; j++)
                values[j] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())) * 0.02f;
            return (s.Item1, s.Item2, values);
        }).ToList();
    }

    private static void WriteGguf(string path, Qwen2Config config, GgufOutputType type, List<(string Name, long[] Dimensions, float[] Values)> tensors)
    {
        var tokens = Enumerable.Range(0, config.VocabSize).Select(i => $"t{i}").ToArray();
        var metadata = Qwen2GgufExporter.Metadata(config, type, "synthetic").Concat(
        [
            new("tokenizer.ggml.model", GgufValue.Of("gpt2")),
            new("tokenizer.ggml.pre", GgufValue.Of("qwen2")),
            new("tokenizer.ggml.tokens", GgufValue.Strings(tokens)),
            new("tokenizer.ggml.token_type", GgufValue.Int32s(Enumerable.Repeat(GgufTokenizerMetadata.Normal, tokens.Length).ToArray())),
            new("tokenizer.ggml.merges", GgufValue.Strings(["t 1"])),
        ]).ToList();
        var sources = tensors.Select(t =>
        {
            var ggmlType = GgufQuantMix.TypeFor(t.Name, t.Dimensions, type, config.NumHiddenLayers, hasOutputTensor: !config.TieWordEmbeddings);
            return new GgufTensorSource(t.Name, t.Dimensions, ggmlType, () => GgmlQuants.FromFloats(t.Values, ggmlType));
        }).ToList();
        GgufWriter.Write(path, metadata, sources);
    }
}
