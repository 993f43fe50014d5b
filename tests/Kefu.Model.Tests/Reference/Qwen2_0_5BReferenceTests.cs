using Kefu.Model.Generation;
using Kefu.Model.Runtime;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Reference;

/// <summary>
/// The expectations huggingface/transformers' own integration tests hold for the real Qwen/Qwen2-0.5B weights
/// (../shared/reference/qwen2-0.5b-transformers-expectations.md), asserted with their tolerances. Weights are never
/// downloaded: set KEFU_QWEN2_0_5B_DIR to a local Qwen2-0.5B folder (config.json, model.safetensors, vocab.json,
/// merges.txt) to run them; they skip otherwise.
/// </summary>
public sealed class Qwen2_0_5BReferenceTests
{
    private const string Variable = "KEFU_QWEN2_0_5B_DIR";

    [Fact]
    public void Logits_OfTheTransformersTestInput_MatchTheirMeanAndSlice()
    {
        using var local = LoadOrSkip();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long[] ids = [1, 306, 4658, 278, 6593, 310, 2834, 338];

        var logits = local.Model.forward(tensor(ids, [1, ids.Length]))[0];

        double[] expectedMean = [-1.9537, -1.6193, -1.4123, -1.4673, -1.8511, -1.9309, -1.9826, -2.1776];
        double[] expectedSlice =
        [
            3.2025, 7.1265, 4.6058, 3.6423, 1.6357, 3.9265, 5.1883, 5.8760, 2.7942, 4.4823,
            3.2571, 2.1063, 3.4275, 4.2028, 1.9767, 5.2115, 6.6756, 6.3999, 6.0483, 5.7378,
            5.6660, 5.2298, 5.4103, 5.1248, 5.4376, 2.4570, 2.6107, 5.4039, 2.8077, 4.7777,
        ];
        var mean = logits.mean([-1L]).data<float>().ToArray();
        var slice = logits[0].narrow(0, 0, 30).data<float>().ToArray();
        for (var i = 0; i < expectedMean.Length; i++)
            Math.Abs(mean[i] - expectedMean[i]).ShouldBeLessThanOrEqualTo(1e-2 + 1e-2 * Math.Abs(expectedMean[i]), $"mean[{i}]");
        for (var i = 0; i < expectedSlice.Length; i++)
            Math.Abs(slice[i] - expectedSlice[i]).ShouldBeLessThanOrEqualTo(1e-4 + 1e-4 * Math.Abs(expectedSlice[i]), $"logits[0, 0, {i}]");
    }

    [Fact]
    public void GreedyGeneration_OfMyFavouriteCondiment_IsTheTransformersText()
    {
        using var local = LoadOrSkip();
        const string prompt = "My favourite condiment is ";
        var ids = local.Tokenizer.Encode(prompt);

        var generated = local.Generator.Generate(ids, new GenerationOptions { MaxNewTokens = 20, StopTokenIds = [151643] }, TestContext.Current.CancellationToken);

        local.Tokenizer.Decode([.. ids, .. generated.Tokens], skipSpecialTokens: true)
            .ShouldBe("My favourite condiment is 100% natural, organic and vegan. I love to use it in my cooking and I");
    }

    [Fact]
    public void LongPrompt_Of4097Tokens_ContinuesThePattern()
    {
        using var local = LoadOrSkip();
        var ids = new List<int> { 1 };
        for (var i = 0; i < 2048; i++)
            ids.AddRange([306, 338]);

        var generated = local.Generator.Generate(ids, new GenerationOptions { MaxNewTokens = 4, StopTokenIds = [] }, TestContext.Current.CancellationToken);

        generated.Tokens.TakeLast(2).ShouldBe([306, 338]);
    }

    private static LocalModel LoadOrSkip()
    {
        var folder = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(folder))
            Assert.Skip($"Set {Variable} to a local Qwen/Qwen2-0.5B model folder to check against transformers' published expectations.");
        if (!Directory.Exists(folder))
            Assert.Skip($"{Variable} names {folder}, which does not exist.");
        return LocalModel.Load(folder, ScalarType.Float32);
    }
}
