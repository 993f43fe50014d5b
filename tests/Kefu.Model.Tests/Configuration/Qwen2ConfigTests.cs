using Kefu.Model.Configuration;
using Kefu.Testing;

namespace Kefu.Model.Tests.Configuration;

public sealed class Qwen2ConfigTests
{
    [Fact]
    public void Load_RealQwen2_1_5BInstructConfig_ReadsEveryShapeField()
    {
        var file = SharedData.RequireFile("qwen2-tokenizer/config.qwen2-1.5b-instruct.from-boundless.json");

        var config = Qwen2Config.Load(file);

        config.HiddenSize.ShouldBe(1536);
        config.NumHiddenLayers.ShouldBe(28);
        config.NumAttentionHeads.ShouldBe(12);
        config.NumKeyValueHeads.ShouldBe(2);
        config.IntermediateSize.ShouldBe(8960);
        config.VocabSize.ShouldBe(151936);
        config.TieWordEmbeddings.ShouldBeTrue();
        config.RopeTheta.ShouldBe(1_000_000.0);
        config.RmsNormEps.ShouldBe(1e-6);
        config.MaxPositionEmbeddings.ShouldBe(32768);
        config.EosTokenId.ShouldBe([151645]);
        config.HeadDim.ShouldBe(128);
        // Qwen2 configs carry a sliding_window size with use_sliding_window false: accepted.
        config.SlidingWindow.ShouldBe(32768);
        config.UseSlidingWindow.ShouldBeFalse();
    }

    [Fact]
    public void Preset1_5B_MatchesTheRealConfigFile()
    {
        var file = SharedData.RequireFile("qwen2-tokenizer/config.qwen2-1.5b-instruct.from-boundless.json");
        var real = Qwen2Config.Load(file);

        var preset = Qwen2Shapes.Get("1.5b");

        (preset.HiddenSize, preset.IntermediateSize, preset.NumHiddenLayers, preset.NumAttentionHeads, preset.NumKeyValueHeads,
            preset.VocabSize, preset.TieWordEmbeddings, preset.RopeTheta, preset.RmsNormEps, preset.MaxPositionEmbeddings)
            .ShouldBe((real.HiddenSize, real.IntermediateSize, real.NumHiddenLayers, real.NumAttentionHeads, real.NumKeyValueHeads,
                real.VocabSize, real.TieWordEmbeddings, real.RopeTheta, real.RmsNormEps, real.MaxPositionEmbeddings));
    }

    [Fact]
    public void Parse_UseSlidingWindowTrue_IsRefusedNamingTheField()
    {
        var error = Should.Throw<ModelConfigException>(() => Qwen2Config.Parse("""{"hidden_size": 64, "num_attention_heads": 4, "use_sliding_window": true}"""));

        error.Message.ShouldContain("use_sliding_window");
    }

    [Fact]
    public void Parse_RopeScaling_IsRefusedNamingTheField()
    {
        var error = Should.Throw<ModelConfigException>(() => Qwen2Config.Parse(
            """{"hidden_size": 64, "num_attention_heads": 4, "rope_scaling": {"type": "yarn", "factor": 4.0}}"""));

        error.Message.ShouldContain("rope_scaling");
        error.Message.ShouldContain("yarn");
    }

    [Fact]
    public void Parse_RopeScalingNull_IsAccepted()
    {
        var config = Qwen2Config.Parse("""{"hidden_size": 64, "num_attention_heads": 4, "rope_scaling": null}""");

        config.HiddenSize.ShouldBe(64);
    }

    [Fact]
    public void Parse_WrongTypeOnALine_NamesLineAndField()
    {
        var error = Should.Throw<ModelConfigException>(() => Qwen2Config.Parse("{\n  \"hidden_size\": 64,\n  \"num_hidden_layers\": \"two\"\n}", "my/config.json"));

        error.Message.ShouldContain("my/config.json line 3");
        error.Message.ShouldContain("num_hidden_layers");
    }

    [Fact]
    public void Parse_HeadsNotDividingHiddenSize_IsRefused()
    {
        var error = Should.Throw<ModelConfigException>(() => Qwen2Config.Parse("""{"hidden_size": 100, "num_attention_heads": 3}"""));

        error.Message.ShouldContain("num_attention_heads");
    }

    [Fact]
    public void Parse_EosAsList_AndMissingKvHeads_FollowTransformers()
    {
        var config = Qwen2Config.Parse("""{"hidden_size": 64, "num_attention_heads": 4, "eos_token_id": [151645, 151643]}""");

        config.EosTokenId.ShouldBe([151645, 151643]);
        config.NumKeyValueHeads.ShouldBe(4);
    }

    [Theory]
    [InlineData("""{"eos_token_id": 1.5}""")]
    [InlineData("""{"eos_token_id": [151645, "x"]}""")]
    [InlineData("""{"eos_token_id": 99999999999}""")]
    [InlineData("""{"head_dim": 32, "hidden_size": 64, "num_attention_heads": 4}""")]
    public void Parse_MalformedFields_GiveAModelConfigException(string json)
    {
        Should.Throw<ModelConfigException>(() => Qwen2Config.Parse(json));
    }

    [Fact]
    public void SaveThenLoad_KeepsUnknownFields()
    {
        using var folder = new TempDirectory();
        var config = Qwen2Config.Parse("""{"hidden_size": 64, "num_attention_heads": 4, "my_extension": {"a": [1, 2]}}""");

        config.Save(folder.Path);
        var reloaded = Qwen2Config.Load(folder.Path);

        reloaded.HiddenSize.ShouldBe(64);
        reloaded.Extra!["my_extension"].GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).ShouldBe("""{"a":[1,2]}""");
        Directory.GetFiles(folder.Path).Select(Path.GetFileName).ShouldBe(["config.json"]);
    }

    [Fact]
    public void Get_UnknownShape_ListsTheKnownOnes()
    {
        Should.Throw<ArgumentException>(() => Qwen2Shapes.Get("3b")).Message.ShouldContain("0.5b");
    }
}
