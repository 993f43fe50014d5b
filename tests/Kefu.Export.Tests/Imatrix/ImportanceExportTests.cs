using Kefu.Export.Gguf;
using Kefu.Export.Imatrix;
using Kefu.Export.Qwen2;
using Kefu.Model.Configuration;
using Kefu.Model.Modules;
using Kefu.Testing;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.Imatrix;

public sealed class ImportanceExportTests
{
    [Fact]
    public void Export_Q4_K_M_WithImportance_QuantizesTheBlocksWithItAndRecordsItsProvenance()
    {
        using var temp = new TempDirectory();
        using var model = OutlierModel();
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var importance = ImportanceCollector.Collect(model, Calibration(), "calibration set");

        Qwen2GgufExporter.Export(folder, temp.File("plain.gguf"), GgufOutputType.Q4_K_M);
        Qwen2GgufExporter.Export(folder, temp.File("imatrix.gguf"), GgufOutputType.Q4_K_M, importance: importance);
        var plain = GgufFile.Read(temp.File("plain.gguf"));
        var weighted = GgufFile.Read(temp.File("imatrix.gguf"));

        weighted["quantize.imatrix.dataset"].Value.ShouldBe("calibration set");
        weighted["quantize.imatrix.entries_count"].AsInteger().ShouldBe(14);
        weighted["quantize.imatrix.chunks_count"].AsInteger().ShouldBe(12);
        plain.TryGet("quantize.imatrix.dataset").ShouldBeNull();
        weighted.Tensors.Select(t => (t.Name, t.Type)).ShouldBe(plain.Tensors.Select(t => (t.Name, t.Type)), "an imatrix changes values, not llama.cpp's type mix");
        weighted.ReadBytes("token_embd.weight").ShouldBe(plain.ReadBytes("token_embd.weight"), "no entry for the (tied) head: quantized plainly");
        var down = model.NamedWeights().Single(w => w.Key == "model.layers.0.mlp.down_proj.weight").Value.contiguous().data<float>().ToArray();
        weighted.ReadBytes("blk.0.ffn_down.weight").ShouldBe(ImportanceQuants.FromFloats(down, GgmlType.Q4_K, importance.For("blk.0.ffn_down.weight")));
        foreach (var name in new[] { "blk.0.attn_q.weight", "blk.0.ffn_down.weight", "blk.1.ffn_down.weight" })
            weighted.ReadBytes(name).ShouldNotBe(plain.ReadBytes(name), name);
    }

    [Fact]
    public void Export_Q4_K_M_WithImportance_LowersTheModelsOutputErrorOnTheCalibrationText()
    {
        using var temp = new TempDirectory();
        using var model = OutlierModel();
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var calibration = Calibration();
        var importance = ImportanceCollector.Collect(model, calibration, "calibration set");
        Qwen2GgufExporter.Export(folder, temp.File("plain.gguf"), GgufOutputType.Q4_K_M);
        Qwen2GgufExporter.Export(folder, temp.File("imatrix.gguf"), GgufOutputType.Q4_K_M, importance: importance);

        var reference = calibration.Select(ids => HiddenStates(model, ids)).ToList();
        var plainError = OutputError(model, GgufFile.Read(temp.File("plain.gguf")), calibration, reference);
        var weightedError = OutputError(model, GgufFile.Read(temp.File("imatrix.gguf")), calibration, reference);
        foreach (var tensor in reference)
            tensor.Dispose();

        TestContext.Current.TestOutputHelper?.WriteLine($"final hidden-state error: plain {plainError:G4}, imatrix {weightedError:G4} (ratio {weightedError / plainError:0.000})");
        weightedError.ShouldBeLessThan(plainError);
    }

    [Fact]
    public void Export_ImportanceOfAnotherShape_FailsNamingTheTensor()
    {
        using var temp = new TempDirectory();
        using var model = TinyModelFolders.CreateModel();
        var folder = TinyModelFolders.Write(model, temp.File("model"));
        var wrong = new ImportanceMatrix(new Dictionary<string, float[]> { ["blk.1.attn_q.weight"] = new float[96] }, "elsewhere", 1);

        Should.Throw<GgufFormatException>(() => Qwen2GgufExporter.Export(folder, temp.File("m.gguf"), GgufOutputType.Q4_K_M, importance: wrong))
            .Message.ShouldContain("blk.1.attn_q.weight has 96 values");
    }

    /// <summary>
    /// The tiny shape widened to 128/256 (Q5_0, Q4_K and Q6_K tensors under Q4_K_M) with log-normal RMSNorm gains:
    /// a few hidden channels carry much larger activations than the rest, as in trained LLMs.
    /// </summary>
    private static Qwen2ForCausalLM OutlierModel()
    {
        var config = Qwen2Shapes.Get("tiny") with { HiddenSize = 128, IntermediateSize = 256 };
        var model = new Qwen2ForCausalLM(config, ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, 21, std: 0.2, perturbNormsAndBiases: true);
        var random = new Random(3);
        using var noGrad = no_grad();
        foreach (var (name, weight) in model.NamedWeights().Where(w => w.Key.EndsWith("layernorm.weight", StringComparison.Ordinal)))
        {
            var gains = Enumerable.Range(0, (int)weight.shape[0]).Select(_ => (float)Math.Exp(1.2 * Normal(random))).ToArray();
            using var values = tensor(gains);
            weight.copy_(values);
        }
        model.eval();
        return model;
    }

    private static List<int[]> Calibration()
    {
        var random = new Random(77);
        return Enumerable.Range(0, 12).Select(_ => Enumerable.Range(0, 24).Select(_ => random.Next(151643)).ToArray()).ToList();
    }

    private static Tensor HiddenStates(Qwen2ForCausalLM model, int[] ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length], ScalarType.Int64, CPU);
        var positions = arange(0, ids.Length, 1, ScalarType.Int64, CPU).unsqueeze(0);
        var mask = AttentionMasks.Build(0, ids.Length, null, CPU);
        return model.Model.forward(input, positions, mask, null).MoveToOuterDisposeScope();
    }

    /// <summary>Σ‖H − H_float‖² over the calibration text with the file's block weights (dequantized) put in the model.</summary>
    private static double OutputError(Qwen2ForCausalLM model, GgufFile file, List<int[]> calibration, List<Tensor> reference)
    {
        var originals = new List<(Tensor Weight, Tensor Saved)>();
        using var noGrad = no_grad();
        try
        {
            foreach (var (name, weight) in model.NamedWeights())
            {
                if (weight.dim() != 2 || Qwen2GgufNames.TryMap(name) is not { } ggufName || !ggufName.StartsWith("blk.", StringComparison.Ordinal))
                    continue;
                originals.Add((weight, weight.clone()));
                using var values = tensor(file.ReadFloats(ggufName), weight.shape);
                weight.copy_(values);
            }
            var error = 0.0;
            for (var i = 0; i < calibration.Count; i++)
            {
                using var hidden = HiddenStates(model, calibration[i]);
                using var difference = hidden - reference[i];
                error += difference.square().sum().item<float>();
            }
            return error;
        }
        finally
        {
            foreach (var (weight, saved) in originals)
            {
                weight.copy_(saved);
                saved.Dispose();
            }
        }
    }

    private static double Normal(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
