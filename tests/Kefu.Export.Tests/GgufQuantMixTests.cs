using Kefu.Export.Gguf;
using Kefu.Export.Qwen2;

namespace Kefu.Export.Tests;

public sealed class GgufQuantMixTests
{
    // Qwen2-0.5B: 24 layers, hidden 896 (not a multiple of 256, a multiple of 32), intermediate 4864 = 19 · 256, 2 KV heads of 64.
    private const int Layers05B = 24;

    [Theory]
    // use_more_bits(i, 24): i < 3, i ≥ 21, or (i − 3) % 3 == 2 → layers 0, 1, 2, 5, 8, 11, 14, 17, 20, 21, 22, 23.
    [InlineData(0, true)]
    [InlineData(2, true)]
    [InlineData(3, false)]
    [InlineData(4, false)]
    [InlineData(5, true)]
    [InlineData(19, false)]
    [InlineData(20, true)]
    [InlineData(21, true)]
    [InlineData(23, true)]
    public void UseMoreBits_Qwen2_05B_PicksTheFirstAndLastEighthAndEveryThirdLayer(int layer, bool expected) =>
        GgufQuantMix.UseMoreBits(layer, Layers05B).ShouldBe(expected);

    [Fact]
    public void TypeFor_Q4_K_M_Qwen2_05B_FallsBackWhereRowsAreNot256Wide()
    {
        static GgmlType Type(string name, params long[] dimensions) =>
            GgufQuantMix.TypeFor(name, dimensions, GgufOutputType.Q4_K_M, Layers05B, hasOutputTensor: false);

        // Tied embeddings: token_embd plays the output head → Q6_K wanted, but 896 % 256 ≠ 0 → Q8_0 (llama.cpp's head rule).
        Type("token_embd.weight", 896, 151936).ShouldBe(GgmlType.Q8_0);
        // 896-wide rows: Q4_K → Q5_0; attn_v on a more-bits layer: Q6_K → Q8_0.
        Type("blk.4.attn_q.weight", 896, 896).ShouldBe(GgmlType.Q5_0);
        Type("blk.4.attn_v.weight", 896, 128).ShouldBe(GgmlType.Q5_0);
        Type("blk.5.attn_v.weight", 896, 128).ShouldBe(GgmlType.Q8_0);
        Type("blk.5.ffn_up.weight", 896, 4864).ShouldBe(GgmlType.Q5_0);
        // ffn_down's rows are 4864 = 19 · 256 wide: k-quants fit.
        Type("blk.4.ffn_down.weight", 4864, 896).ShouldBe(GgmlType.Q4_K);
        Type("blk.5.ffn_down.weight", 4864, 896).ShouldBe(GgmlType.Q6_K);
        Type("blk.23.ffn_down.weight", 4864, 896).ShouldBe(GgmlType.Q6_K);
        // 1-D tensors stay F32.
        Type("blk.5.attn_v.bias", 128).ShouldBe(GgmlType.F32);
        Type("blk.5.attn_norm.weight", 896).ShouldBe(GgmlType.F32);
        Type("output_norm.weight", 896).ShouldBe(GgmlType.F32);
    }

    [Fact]
    public void TypeFor_Q4_K_M_256WideModel_UsesQ4_KWithQ6_KForHeadAttnVAndFfnDownOnMoreBitsLayers()
    {
        // Qwen2-1.5B-like: hidden 1536 = 6 · 256, 28 layers, separate output head.
        static GgmlType Type(string name, params long[] dimensions) =>
            GgufQuantMix.TypeFor(name, dimensions, GgufOutputType.Q4_K_M, 28, hasOutputTensor: true);

        Type("output.weight", 1536, 151936).ShouldBe(GgmlType.Q6_K);
        Type("token_embd.weight", 1536, 151936).ShouldBe(GgmlType.Q4_K, "with an output head, the embedding is an ordinary Q4_K tensor");
        Type("blk.0.attn_v.weight", 1536, 256).ShouldBe(GgmlType.Q6_K);
        // use_more_bits(i, 28): i < 3, i ≥ 24, or (i − 3) % 3 == 2.
        Type("blk.3.attn_v.weight", 1536, 256).ShouldBe(GgmlType.Q4_K);
        Type("blk.4.attn_v.weight", 1536, 256).ShouldBe(GgmlType.Q4_K);
        Type("blk.5.attn_v.weight", 1536, 256).ShouldBe(GgmlType.Q6_K);
        Type("blk.24.attn_v.weight", 1536, 256).ShouldBe(GgmlType.Q6_K);
        Type("blk.4.attn_k.weight", 1536, 256).ShouldBe(GgmlType.Q4_K);
        Type("blk.4.attn_output.weight", 1536, 1536).ShouldBe(GgmlType.Q4_K);
        Type("blk.5.ffn_down.weight", 8960, 1536).ShouldBe(GgmlType.Q6_K);
        Type("blk.6.ffn_gate.weight", 1536, 8960).ShouldBe(GgmlType.Q4_K);
    }

    [Theory]
    [InlineData(GgufOutputType.Q6_K, "blk.3.attn_q.weight", 512L, GgmlType.Q6_K)]
    [InlineData(GgufOutputType.Q6_K, "blk.3.attn_q.weight", 896L, GgmlType.Q8_0)]
    [InlineData(GgufOutputType.Q6_K, "token_embd.weight", 896L, GgmlType.Q8_0)]
    [InlineData(GgufOutputType.Q8_0, "token_embd.weight", 896L, GgmlType.Q8_0)]
    [InlineData(GgufOutputType.Q8_0, "blk.0.ffn_down.weight", 176L, GgmlType.F16)]
    // Under Q4_0 llama.cpp gives the head Q6_K too (Q8_0 when its rows are not 256 wide).
    [InlineData(GgufOutputType.Q4_0, "token_embd.weight", 512L, GgmlType.Q6_K)]
    [InlineData(GgufOutputType.Q4_0, "token_embd.weight", 64L, GgmlType.Q8_0)]
    [InlineData(GgufOutputType.Q4_0, "blk.1.attn_v.weight", 64L, GgmlType.Q4_0)]
    [InlineData(GgufOutputType.Q4_K_M, "blk.1.ffn_down.weight", 176L, GgmlType.F16)]
    [InlineData(GgufOutputType.F16, "token_embd.weight", 896L, GgmlType.F16)]
    [InlineData(GgufOutputType.BF16, "blk.0.attn_v.weight", 896L, GgmlType.BF16)]
    public void TypeFor_OtherFileTypes_FollowLlamaQuantize(GgufOutputType type, string name, long rowLength, GgmlType expected) =>
        GgufQuantMix.TypeFor(name, [rowLength, 64], type, 8, hasOutputTensor: false).ShouldBe(expected);

    [Theory]
    [InlineData("q4_k_m", GgufOutputType.Q4_K_M, 15u)]
    [InlineData("Q6_K", GgufOutputType.Q6_K, 18u)]
    [InlineData("q4_0", GgufOutputType.Q4_0, 2u)]
    public void Parse_KQuantNames_GiveLlamaFileTypes(string text, GgufOutputType expected, uint fileType)
    {
        var type = GgufOutputTypes.Parse(text);

        type.ShouldBe(expected);
        type.FileType().ShouldBe(fileType);
    }
}
