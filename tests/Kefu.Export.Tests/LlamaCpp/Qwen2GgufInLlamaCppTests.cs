using System.Text.Json;
using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;
using Kefu.Model.Lora;
using Kefu.Testing;
using Kefu.Testing.LlamaCpp;
using Kefu.Text;
using static TorchSharp.torch;

namespace Kefu.Export.Tests.LlamaCpp;

/// <summary>
/// Kefu's Qwen2 GGUF export checked by llama.cpp itself: ggml's gguf reader sees every key and tensor as Kefu wrote
/// them; llama.cpp loads the file, computes the logits Kefu's TorchSharp model computes (tied and untied head),
/// tokenizes as Kefu does, and applies Kefu's GGUF LoRA adapters as PEFT would.
/// </summary>
public sealed class Qwen2GgufInLlamaCppTests(TinyQwen2Exports exports, ITestOutputHelper output) : IClassFixture<TinyQwen2Exports>
{
    /// <summary>A real customer question in the chat template, as the service would send it.</summary>
    private static readonly ChatTurn[] Conversation =
    [
        new(ChatTurn.System, "你是青禾优选的智能客服小禾。"),
        new(ChatTurn.User, "我的订单ORD12345昨天付款的，还没发货，能改一下收货地址吗？"),
    ];

    [Theory]
    [InlineData(GgufOutputType.F32)]
    [InlineData(GgufOutputType.Q8_0)]
    public void Export_ReadByGgmlsGgufReader_HasEveryKeyAndTensorAsWritten(GgufOutputType type)
    {
        LlamaCppLibraries.Require();
        var path = exports.Gguf(type);

        var ggml = GgufReference.Read(path);
        var kefu = GgufFile.Read(path);

        ggml.Version.ShouldBe(3u);
        ggml.Alignment.ShouldBe(kefu.Alignment);
        ggml.DataOffset.ShouldBe(kefu.DataOffset);
        ggml.Keys.Keys.Order(StringComparer.Ordinal).ShouldBe(kefu.Metadata.Select(m => m.Key).Order(StringComparer.Ordinal));
        foreach (var (key, value) in kefu.Metadata)
        {
            var seen = ggml.Keys[key];
            seen.Type.ShouldBe((int)value.Type, key);
            seen.ArrayType.ShouldBe(value.ElementType is { } element ? (int)element : null, key);
            if (value.Value is Array array)
                ((Array)seen.Value).Cast<object>().ShouldBe(array.Cast<object>(), key);
            else
                seen.Value.ShouldBe(value.Value, key);
        }
        ggml.Keys["general.architecture"].Value.ShouldBe("qwen2");
        ggml.Keys["qwen2.embedding_length"].Value.ShouldBe(64u);
        ((string[])ggml.Keys["tokenizer.ggml.tokens"].Value).Length.ShouldBe(151936);

        ggml.Tensors.Select(t => t.Name).ShouldBe(kefu.Tensors.Select(t => t.Name));
        foreach (var (seen, written) in ggml.Tensors.Zip(kefu.Tensors))
        {
            seen.Type.ShouldBe((int)written.Type, written.Name);
            seen.Dimensions.ShouldBe(written.Dimensions.Concat(Enumerable.Repeat(1L, 4 - written.Dimensions.Count)), written.Name);
            seen.Offset.ShouldBe(written.Offset, written.Name);
            seen.Size.ShouldBe(written.ByteSize, written.Name);
        }
    }

    /// <summary>
    /// Tolerances are relative to the largest logit (≈ 8.4) and come from what llama.cpp's CPU matmuls do to the
    /// activations, measured on this model: F32 weights keep F32 activations, so only summation order differs
    /// (measured 1.7e-6). F16 weights make ggml round activations to F16 (measured 2.3e-3, the same size as the
    /// F16 weights' own effect, 2.7e-3). Q8_0/Q4_0 weights make ggml quantize activations to Q8_0 blocks (measured
    /// 5.1e-2 and 5.5e-2; the Q8_0 weights alone move Kefu's logits by 5.7e-2): a wrong scale, nibble order or
    /// tensor layout moves them by ~0.85 of the largest logit, so 0.1 still catches it.
    /// </summary>
    [Theory]
    [InlineData(GgufOutputType.F32, 1e-4)]
    [InlineData(GgufOutputType.F16, 5e-3)]
    [InlineData(GgufOutputType.Q8_0, 0.1)]
    [InlineData(GgufOutputType.Q4_0, 0.1)]
    public void Logits_ChinesePromptInLlamaCpp_EqualKefusForTheSameWeights(GgufOutputType type, double relativeTolerance)
    {
        LlamaCppLibraries.Require();
        var tokenizer = Qwen2Tokenizer.FromDirectory(exports.Folder);
        var ids = ChatTemplate.TokenizePrompt(tokenizer, Conversation);
        using var llama = LlamaCppModel.Load(exports.Gguf(type));
        using var kefuModel = exports.ModelWithGgufWeights(type);

        var expected = TinyQwen2Exports.KefuLogits(kefuModel, ids);
        var actual = llama.EvaluateLogits(ids);

        var comparison = LogitsComparison.Of(expected, actual);
        output.WriteLine($"{type}: {ids.Length} tokens, {comparison}");
        comparison.RelativeDifference.ShouldBeLessThan(relativeTolerance, comparison.ToString());
        if (type is GgufOutputType.F32 or GgufOutputType.F16)
            comparison.ArgmaxAgreements.ShouldBe(ids.Length, comparison.ToString());
    }

    /// <summary>Qwen2-7B has its own output head (lm_head → output.weight); the tiny model ties it to the embedding.</summary>
    [Fact]
    public void Logits_UntiedOutputHead_LlamaCppUsesTheExportedOutputWeight()
    {
        LlamaCppLibraries.Require();
        var tokenizer = Qwen2Tokenizer.FromDirectory(exports.Folder);
        var ids = ChatTemplate.TokenizePrompt(tokenizer, Conversation);
        using var model = TinyQwen2Exports.CreateModel(TinyQwen2Exports.Config with { TieWordEmbeddings = false });
        var folder = TinyQwen2Exports.WriteFolder(model, exports.Temp.File("untied"));
        var path = exports.Temp.File("untied.gguf");
        Qwen2GgufExporter.Export(folder, path, GgufOutputType.F32);
        GgufFile.Read(path).Tensors.ShouldContain(t => t.Name == "output.weight");
        using var llama = LlamaCppModel.Load(path);

        var comparison = LogitsComparison.Of(TinyQwen2Exports.KefuLogits(model, ids), llama.EvaluateLogits(ids));

        comparison.RelativeDifference.ShouldBeLessThan(1e-4, comparison.ToString());
        comparison.ArgmaxAgreements.ShouldBe(ids.Length);
    }

    [Fact]
    public void Tokenize_ConformanceVectorsAndChatPrompt_LlamaCppGivesKefusIds()
    {
        LlamaCppLibraries.Require();
        var shared = SharedData.RequireDirectory("qwen2-tokenizer");
        var cases = new[] { "qwen2_tokenizer_test_vectors.json", "qwen2_tokenizer_extra_vectors.json" }
            .SelectMany(f => JsonSerializer.Deserialize<List<TokenizerVector>>(File.ReadAllText(Path.Combine(shared, f)))!)
            .ToList();
        var tokenizer = Qwen2Tokenizer.FromDirectory(exports.Folder);
        using var llama = LlamaCppModel.Load(exports.Gguf(GgufOutputType.Q8_0));

        var mismatches = new List<string>();
        foreach (var vector in cases)
        {
            // Special-token text (one vector has <|im_start|>) is parsed as control tokens on both sides.
            var kefu = tokenizer.Encode(vector.Text).ToArray();
            var fromLlama = llama.Tokenize(vector.Text, addSpecial: false, parseSpecial: true);
            if (!kefu.SequenceEqual(vector.Ids) || !fromLlama.SequenceEqual(kefu))
                mismatches.Add($"{JsonSerializer.Serialize(vector.Text)}: expected [{string.Join(",", vector.Ids)}], Kefu [{string.Join(",", kefu)}], llama.cpp [{string.Join(",", fromLlama)}]");
        }
        mismatches.ShouldBeEmpty($"{mismatches.Count} of {cases.Count} vectors differ:\n{string.Join("\n", mismatches)}");

        llama.Tokenize("<|im_start|>hello<|im_end|>").ShouldBe([151644, 14990, 151645]);
        var prompt = ChatTemplate.Render(Conversation, addGenerationPrompt: true);
        llama.Tokenize(prompt).ShouldBe(ChatTemplate.TokenizePrompt(tokenizer, Conversation));
        llama.VocabularySize.ShouldBe(151936);
        llama.Metadata("general.architecture").ShouldBe("qwen2");
        llama.EmbeddingLength.ShouldBe(64);
        llama.LayerCount.ShouldBe(2);
    }

    /// <summary>
    /// An adapter on every linear of both layers, with B made non-zero. PEFT scales by alpha/r (rsLoRA: alpha/√r);
    /// llama.cpp by the GGUF's adapter.lora.alpha / r, so a wrongly converted alpha, a transposed A or B, or a
    /// module under the wrong name shows up as a logit difference the size of the adapter's own effect. Kefu runs
    /// the adapter weights as stored in the GGUF (F16/Q8_0 rounding included); the tolerance then covers what
    /// llama.cpp's matmuls do to the activations entering the LoRA product (F32: none; F16: rounded to half;
    /// Q8_0: quantized to Q8_0 blocks). Measured: F32 2e-6, F16 3e-4, Q8_0 6e-3 of the largest logit, while the
    /// adapter itself moves the logits by 6–11 (≈ 0.7–1.3 of the largest logit).
    /// </summary>
    [Theory]
    [InlineData(GgufOutputType.F32, false, 1e-4)]
    [InlineData(GgufOutputType.F32, true, 1e-4)]
    [InlineData(GgufOutputType.F16, false, 2e-3)]
    [InlineData(GgufOutputType.Q8_0, false, 2e-2)]
    public void LoraAdapter_AppliedByLlamaCppAtScale1_GivesKefusAdaptedLogits(GgufOutputType adapterType, bool useRsLora, double relativeTolerance)
    {
        LlamaCppLibraries.Require();
        var tokenizer = Qwen2Tokenizer.FromDirectory(exports.Folder);
        var ids = ChatTemplate.TokenizePrompt(tokenizer, Conversation);
        using var model = TinyQwen2Exports.CreateModel();
        var config = new LoraConfig
        {
            Rank = 8, Alpha = 16, Dropout = 0, UseRsLora = useRsLora,
            TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"],
        };
        using var adapter = LoraAdapter.Attach(model, config, seed: 5);
        using (no_grad())
        using (var generator = new Generator(7))
        {
            foreach (var (_, layer) in adapter.Layers)
                layer.lora_B.normal_(0, 0.05, generator);
        }
        var adapterFolder = exports.Temp.File($"adapter-{adapterType}-rs{useRsLora}");
        adapter.Save(adapterFolder);
        var adapterPath = adapterFolder + ".gguf";
        LoraGgufExporter.Export(adapterFolder, adapterPath, adapterType);
        UseStoredAdapterWeights(adapter, GgufFile.Read(adapterPath));
        using var llama = LlamaCppModel.Load(exports.Gguf(GgufOutputType.F32));
        using var lora = llama.LoadAdapter(adapterPath);

        var expected = TinyQwen2Exports.KefuLogits(model, ids);
        var actual = llama.EvaluateLogits(ids, lora, scale: 1f);
        var withoutAdapter = llama.EvaluateLogits(ids);

        var comparison = LogitsComparison.Of(expected, actual);
        var adapterEffect = LogitsComparison.Of(withoutAdapter, actual);
        output.WriteLine($"{adapterType} adapter, rsLoRA {useRsLora}: {comparison}; the adapter itself moves llama.cpp's logits by {adapterEffect.MaxAbsoluteDifference:G4}");
        comparison.RelativeDifference.ShouldBeLessThan(relativeTolerance, comparison.ToString());
        adapterEffect.MaxAbsoluteDifference.ShouldBeGreaterThan(10 * relativeTolerance * comparison.MaxAbsoluteLogit, "the adapter must change the logits far more than the tolerance");
        if (adapterType == GgufOutputType.F32)
            comparison.ArgmaxAgreements.ShouldBe(ids.Length);
    }

    /// <summary>Replaces Kefu's A and B by the values the GGUF holds (same row-major layout: ne [in, r] is A [r, in]).</summary>
    private static void UseStoredAdapterWeights(LoraAdapter adapter, GgufFile file)
    {
        using var noGrad = no_grad();
        foreach (var (name, layer) in adapter.Layers)
        {
            var module = Qwen2GgufNames.TryMapModule(name)!;
            using var a = tensor(file.ReadFloats(module + ".weight.lora_a"), layer.lora_A.shape);
            using var b = tensor(file.ReadFloats(module + ".weight.lora_b"), layer.lora_B.shape);
            layer.lora_A.copy_(a);
            layer.lora_B.copy_(b);
        }
    }

    private sealed record TokenizerVector(
        [property: System.Text.Json.Serialization.JsonPropertyName("text")] string Text,
        [property: System.Text.Json.Serialization.JsonPropertyName("ids")] int[] Ids);
}
