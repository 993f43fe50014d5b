using Kefu.Model.Quantization;
using Kefu.Model.Runtime;
using Kefu.Testing;
using Kefu.Training.Data;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace Kefu.Quantization.Tests;

public sealed class QuantizedModelTests
{
    [Fact]
    public void GptqCheckpoint_WrittenAndLoaded_HasInt4LayersThatDequantiseToTheQuantizedWeights()
    {
        using var temp = new TempDirectory();
        using var model = TinyQuantizedModels.Create();
        var quantized = ModelQuantizer.Quantize(model, QuantizationMethod.Gptq, TinyQuantizedModels.Scheme, TinyQuantizedModels.Calibration(8, 24));
        var output = temp.File("gptq");

        GptqCheckpointWriter.Write(model, quantized, TinyQuantizedModels.Scheme, output);
        using var loaded = ModelFolder.Load(output);

        File.Exists(Path.Combine(output, GptqQuantizeConfig.FileName)).ShouldBeTrue();
        File.ReadAllText(Path.Combine(output, "config.json")).ShouldContain("\"quantization_config\"");
        var layers = loaded.NamedLinears().Where(l => l.Key != "lm_head").ToList();
        layers.Count.ShouldBe(14);
        foreach (var (name, layer) in layers)
        {
            var gptq = layer.ShouldBeOfType<GptqLinear>();
            using var expected = quantized[name].Dequantize();
            using var actual = gptq.Dequantize();
            // Only the fp16 storage of the scales separates the two.
            var tolerance = expected.abs().max().item<float>() * 2e-3f;
            (actual - expected).abs().max().item<float>().ShouldBeLessThan(tolerance, name);
        }
        foreach (var weight in quantized.Values)
            weight.Dispose();
    }

    [Fact]
    public void GptqModel_LoadedFromDisk_GivesTheSameLogitsAsTheInMemoryQuantizedModel()
    {
        using var temp = new TempDirectory();
        using var model = TinyQuantizedModels.Create(seed: 4);
        var quantized = ModelQuantizer.Quantize(model, QuantizationMethod.Gptq, TinyQuantizedModels.Scheme with { ActOrder = true }, TinyQuantizedModels.Calibration(6, 20));
        GptqCheckpointWriter.Write(model, quantized, TinyQuantizedModels.Scheme with { ActOrder = true }, temp.File("gptq"));
        using var loaded = ModelFolder.Load(temp.File("gptq"));
        using var ids = tensor(TinyQuantizedModels.Calibration(1, 12, seed: 99)[0].Select(i => (long)i).ToArray(), [1, 12]);

        using var noGrad = no_grad();
        using var expected = model.forward(ids);
        using var actual = loaded.forward(ids);

        var scale = expected.abs().max().item<float>();
        (actual - expected).abs().max().item<float>().ShouldBeLessThan(scale * 0.02f);
        foreach (var weight in quantized.Values)
            weight.Dispose();
    }

    [Fact]
    public void ModelLevel_GptqTracksTheOriginalOutputsCloserThanRtn_OnCalibrationData()
    {
        var calibration = TinyQuantizedModels.Calibration(8, 32);
        using var original = TinyQuantizedModels.Create(seed: 8);
        using var gptqModel = TinyQuantizedModels.Create(seed: 8);
        using var rtnModel = TinyQuantizedModels.Create(seed: 8);
        var scheme = TinyQuantizedModels.Scheme;
        var gptq = ModelQuantizer.Quantize(gptqModel, QuantizationMethod.Gptq, scheme, calibration);
        var rtn = ModelQuantizer.Quantize(rtnModel, QuantizationMethod.Rtn, scheme);

        using var noGrad = no_grad();
        double gptqError = 0, rtnError = 0;
        foreach (var sample in calibration)
        {
            using var scope = NewDisposeScope();
            var ids = tensor(sample.Select(i => (long)i).ToArray(), [1, sample.Length]);
            var reference = original.Model.forward(ids, arange(0, sample.Length, 1, ScalarType.Int64).unsqueeze(0), null, null);
            gptqError += (gptqModel.Model.forward(ids, arange(0, sample.Length, 1, ScalarType.Int64).unsqueeze(0), null, null) - reference).pow(2).sum().item<float>();
            rtnError += (rtnModel.Model.forward(ids, arange(0, sample.Length, 1, ScalarType.Int64).unsqueeze(0), null, null) - reference).pow(2).sum().item<float>();
        }

        gptqError.ShouldBeLessThan(rtnError, $"GPTQ {gptqError:G4} vs RTN {rtnError:G4}");
        foreach (var weight in gptq.Values.Concat(rtn.Values))
            weight.Dispose();
    }

    [Fact]
    public async Task GptqFolder_LoadedAsLocalModel_AnswersThroughTheChatClient()
    {
        var tokenizerFolder = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var source = temp.File("source");
        Directory.CreateDirectory(source);
        File.Copy(Path.Combine(tokenizerFolder, "vocab.json"), Path.Combine(source, "vocab.json"));
        File.Copy(Path.Combine(tokenizerFolder, "merges.txt"), Path.Combine(source, "merges.txt"));
        using (var model = TinyQuantizedModels.Create(seed: 2))
        {
            var quantized = ModelQuantizer.Quantize(model, QuantizationMethod.Gptq, TinyQuantizedModels.Scheme, TinyQuantizedModels.Calibration(4, 16));
            GptqCheckpointWriter.Write(model, quantized, TinyQuantizedModels.Scheme, temp.File("gptq"), sourceDirectory: source);
            foreach (var weight in quantized.Values)
                weight.Dispose();
        }

        using var local = LocalModel.Load(temp.File("gptq"));
        using IChatClient client = local.CreateChatClient();
        var options = new ChatOptions { MaxOutputTokens = 5, Temperature = 0 };
        var first = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "我的订单什么时候发货？")], options, TestContext.Current.CancellationToken);
        var second = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "我的订单什么时候发货？")], options, TestContext.Current.CancellationToken);

        local.Model.NamedLinears().Count(l => l.Value is GptqLinear).ShouldBe(14);
        first.Usage!.OutputTokenCount.ShouldNotBeNull().ShouldBeInRange(1, 5);
        second.Text.ShouldBe(first.Text, "greedy decoding is deterministic");
    }

    [Fact]
    public void Perplexity_OfQuantizedModels_IsFiniteAndCountsOnlyAssistantTokens()
    {
        using var model = TinyQuantizedModels.Create(seed: 6);
        var ids = TinyQuantizedModels.Calibration(2, 16, seed: 5);
        var examples = ids.Select((s, i) => new SftExample($"e{i}", "faq", s, s.Select((_, j) => j >= 10).ToArray())).ToList();

        var before = Perplexity.Evaluate(model, examples);
        var quantized = ModelQuantizer.Quantize(model, QuantizationMethod.Rtn, TinyQuantizedModels.Scheme);
        var after = Perplexity.Evaluate(model, examples);

        before.Tokens.ShouldBe(12);
        double.IsFinite(before.Perplexity).ShouldBeTrue();
        after.Perplexity.ShouldNotBe(before.Perplexity);
        foreach (var weight in quantized.Values)
            weight.Dispose();
    }
}
