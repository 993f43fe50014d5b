using Kefu.Export.Imatrix;
using Kefu.Model.Modules;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.Imatrix;

public sealed class ImportanceCollectorTests
{
    [Fact]
    public void Capture_KnownInputs_KeepsTheMeanSquareOfEachColumnAndPassesTheInputOn()
    {
        using var linear = new DenseLinear(3, 2, hasBias: false, ScalarType.Float32, CPU);
        using var capture = new ImportanceCapture(linear, 3);
        using var first = tensor(new float[] { 1, 2, 3, -1, 0, 2, 0.5f, 4, -3, 2, 2, 2 }, [2, 2, 3]);
        using var second = tensor(new float[] { 3, -1, 1 }, [1, 3]);

        using var output = capture.forward(first);
        using var expected = linear.forward(first);
        capture.forward(second).Dispose();

        output.allclose(expected).ShouldBeTrue("the capture must not change what the layer computes");
        capture.Tokens.ShouldBe(5);
        // Columns over the five rows: (1, −1, 0.5, 2, 3), (2, 0, 4, 2, −1), (3, 2, −3, 2, 1).
        var means = capture.MeanSquares();
        means[0].ShouldBe((1 + 1 + 0.25f + 4 + 9) / 5, 1e-6);
        means[1].ShouldBe((4 + 0 + 16 + 4 + 1) / 5f, 1e-6);
        means[2].ShouldBe((9 + 4 + 9 + 4 + 1) / 5f, 1e-6);
    }

    [Fact]
    public void Collect_TinyModel_FirstLayersAttentionEntriesEqualTheHandComputedNormedEmbeddings()
    {
        using var model = TinyModelFolders.CreateModel(seed: 9);
        int[][] calibration = [[5, 17, 300, 42, 9], [151643, 7, 7]];
        using var ids = tensor(new long[] { 1, 2, 3 }, [1, 3]);
        using var before = model.forward(ids);

        var importance = ImportanceCollector.Collect(model, calibration, "hand-made");

        // Layer 0's q/k/v read input_layernorm(embedding): x / √(mean x² + ε) · w, squared and averaged over the 8 tokens.
        var weights = model.NamedWeights().ToDictionary(w => w.Key, w => w.Value.contiguous().data<float>().ToArray());
        var embeddings = weights["model.embed_tokens.weight"];
        var norm = weights["model.layers.0.input_layernorm.weight"];
        var hidden = model.Config.HiddenSize;
        var expected = new double[hidden];
        var tokens = calibration.SelectMany(s => s).ToArray();
        foreach (var token in tokens)
        {
            var row = embeddings.AsSpan(token * hidden, hidden).ToArray();
            var rms = Math.Sqrt(row.Average(v => (double)v * v) + model.Config.RmsNormEps);
            for (var j = 0; j < hidden; j++)
                expected[j] += Math.Pow(row[j] / rms * norm[j], 2) / tokens.Length;
        }
        foreach (var part in new[] { "attn_q", "attn_k", "attn_v" })
        {
            var actual = importance.For($"blk.0.{part}.weight").ShouldNotBeNull();
            for (var j = 0; j < hidden; j++)
                ((double)actual[j]).ShouldBe(expected[j], Math.Max(1e-6, expected[j] * 1e-4), $"{part} column {j}");
        }
        importance.Entries.Keys.Order(StringComparer.Ordinal).ShouldBe(
            Enumerable.Range(0, 2).SelectMany(l => new[] { "attn_k", "attn_output", "attn_q", "attn_v", "ffn_down", "ffn_gate", "ffn_up" }.Select(p => $"blk.{l}.{p}.weight")).Order(StringComparer.Ordinal),
            "llama-imatrix's entries: the blocks' products, no head and no token_embd");
        importance.For("blk.1.ffn_down.weight")!.Length.ShouldBe((int)model.Config.IntermediateSize);
        importance.Chunks.ShouldBe(2);

        model.NamedLinears().ShouldAllBe(l => l.Value is DenseLinear, "the model's own layers are put back");
        using var after = model.forward(ids);
        after.equal(before).all().item<bool>().ShouldBeTrue();
    }

    [Fact]
    public void Collect_NoCalibration_IsRefused()
    {
        using var model = TinyModelFolders.CreateModel();
        Should.Throw<ArgumentException>(() => ImportanceCollector.Collect(model, [], "none"));
    }
}
