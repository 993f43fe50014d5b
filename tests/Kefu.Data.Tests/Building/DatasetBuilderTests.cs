using System.Text.Json;
using Kefu.Data.Building;
using Kefu.Data.Diagnostics;
using Kefu.Data.Mixing;
using Kefu.Testing;
using Kefu.Text;

namespace Kefu.Data.Tests.Building;

/// <summary>End-to-end builds of the small valid test set with the real Qwen2 tokenizer.</summary>
public sealed class DatasetBuilderTests(TokenizerFixture tokenizer) : IClassFixture<TokenizerFixture>, IDisposable
{
    private readonly TempDirectory _out = new();

    public void Dispose() => _out.Dispose();

    private DatasetBuildResult Build(string input, Func<DatasetBuildOptions, DatasetBuildOptions>? configure = null, string? outDir = null)
    {
        var options = new DatasetBuildOptions
        {
            Paths = [input],
            TokenizerDirectory = tokenizer.Directory,
            OutputDirectory = outDir ?? _out.Path,
            // The valid set holds 5 knowledge, 5 dialogue and 1 exception record: this mix keeps them all.
            Mix = new MixRatio(5 / 11.0, 5 / 11.0, 1 / 11.0),
            Size = new SizeRange(5, 500),
            EvalFraction = 0.2,
        };
        return new DatasetBuilder(workingDirectory: TestFiles.Root).Build(configure is null ? options : configure(options), cancellationToken: TestContext.Current.CancellationToken);
    }

    private static List<JsonElement> ReadJsonl(string path) =>
        [.. File.ReadAllLines(path).Select(l => JsonDocument.Parse(l).RootElement.Clone())];

    [Fact]
    public void Build_ValidFiles_WritesEveryArtifact()
    {
        _ = tokenizer.Tokenizer;

        var result = Build(TestFiles.Valid());

        result.Succeeded.ShouldBeTrue(result.FailureMessage);
        foreach (var name in new[] { BuildArtifacts.Train, BuildArtifacts.Eval, BuildArtifacts.DatasetInfo, BuildArtifacts.ReportJson, BuildArtifacts.ReportMarkdown, BuildArtifacts.Histogram, BuildArtifacts.Log })
            File.Exists(_out.File(name)).ShouldBeTrue(name);
        Directory.GetFiles(_out.Path, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        (ReadJsonl(_out.File(BuildArtifacts.Train)).Count + ReadJsonl(_out.File(BuildArtifacts.Eval)).Count).ShouldBe(11);
        File.ReadAllBytes(_out.File(BuildArtifacts.Histogram))[..4].ShouldBe(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' });
    }

    [Fact]
    public void Build_TrainingRecords_HaveIdsMatchingTheChatTemplateAndMaskOnlyAssistantTokens()
    {
        var tok = tokenizer.Tokenizer;
        Build(TestFiles.Valid()).Succeeded.ShouldBeTrue();

        foreach (var line in ReadJsonl(_out.File(BuildArtifacts.Train)).Concat(ReadJsonl(_out.File(BuildArtifacts.Eval))))
        {
            var ids = line.GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var mask = line.GetProperty("loss_mask").GetString()!;
            mask.Length.ShouldBe(ids.Length);
            mask.ShouldAllBe(c => c == '0' || c == '1');
            var turns = line.GetProperty("messages").EnumerateArray().Select(ToTurn).ToList();
            var tools = line.TryGetProperty("tools", out var t) ? t.EnumerateArray().Select(ToTool).ToList() : null;
            ids.ShouldBe(ChatTemplate.Tokenize(tok, turns, tools).InputIds);
            ids[^1].ShouldNotBe(tok.ImEndId); // the template's final "\n" follows <|im_end|>
            var trained = ids.Where((_, i) => mask[i] == '1').ToArray();
            trained.Count(id => id == tok.ImEndId).ShouldBe(turns.Count(x => x.Role == "assistant"));
            trained.ShouldNotContain(tok.ImStartId);
            var lastAnswer = turns.Last(x => x.Role == "assistant").Content;
            tok.Decode(trained).ShouldContain(lastAnswer);
        }
    }

    [Fact]
    public void Build_DatasetJson_DescribesTokenizerCountsAndInputs()
    {
        var tok = tokenizer.Tokenizer;
        Build(TestFiles.Valid()).Succeeded.ShouldBeTrue();

        var info = JsonDocument.Parse(File.ReadAllText(_out.File(BuildArtifacts.DatasetInfo))).RootElement;

        info.GetProperty("format").GetString().ShouldBe(DatasetInfo.CurrentFormat);
        info.GetProperty("tokenizer").GetProperty("vocab_size").GetInt32().ShouldBe(tok.VocabularySize);
        info.GetProperty("tokenizer").GetProperty("im_end_id").GetInt32().ShouldBe(tok.ImEndId);
        info.GetProperty("cutoff").GetInt32().ShouldBe(2048);
        info.GetProperty("seed").GetInt32().ShouldBe(42);
        info.GetProperty("inputs").GetArrayLength().ShouldBe(5);
        info.GetProperty("inputs_sha256").GetString()!.Length.ShouldBe(64);
        (info.GetProperty("train").GetProperty("total").GetInt32() + info.GetProperty("eval").GetProperty("total").GetInt32()).ShouldBe(11);
    }

    [Fact]
    public void Build_SameSeedTwice_WritesIdenticalTrainingFiles()
    {
        _ = tokenizer.Tokenizer;
        using var second = new TempDirectory();

        Build(TestFiles.Valid()).Succeeded.ShouldBeTrue();
        Build(TestFiles.Valid(), outDir: second.Path).Succeeded.ShouldBeTrue();

        File.ReadAllBytes(second.File(BuildArtifacts.Train)).ShouldBe(File.ReadAllBytes(_out.File(BuildArtifacts.Train)));
        File.ReadAllBytes(second.File(BuildArtifacts.Eval)).ShouldBe(File.ReadAllBytes(_out.File(BuildArtifacts.Eval)));
    }

    [Fact]
    public void Build_SamplesOverTheCutoff_AreDroppedAndReportedNeverTruncated()
    {
        _ = tokenizer.Tokenizer;

        var result = Build(TestFiles.Valid(), o => o with { Cutoff = 60 });

        result.Succeeded.ShouldBeTrue(result.FailureMessage);
        result.Report!.OverCutoff.ShouldNotBeEmpty();
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.OverCutoff);
        var kept = ReadJsonl(_out.File(BuildArtifacts.Train)).Concat(ReadJsonl(_out.File(BuildArtifacts.Eval))).ToList();
        result.Report.BeforeMix.Total.ShouldBe(11 - result.Report.OverCutoff.Count);
        kept.Count.ShouldBe(result.Report.AfterMix.Total);
        kept.ShouldAllBe(l => l.GetProperty("input_ids").GetArrayLength() <= 60);
    }

    [Fact]
    public void Build_WithErrorsInTheData_WritesNothingButTheLogAndKeepsEarlierOutputs()
    {
        _ = tokenizer.Tokenizer;
        File.WriteAllText(_out.File(BuildArtifacts.Train), "earlier build\n");

        var result = Build(TestFiles.Broken("KD012-empty-answer.jsonl"));

        result.Succeeded.ShouldBeFalse();
        result.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.EmptyAnswer);
        File.ReadAllText(_out.File(BuildArtifacts.Train)).ShouldBe("earlier build\n");
        File.Exists(_out.File(BuildArtifacts.Eval)).ShouldBeFalse();
        File.Exists(_out.File(BuildArtifacts.DatasetInfo)).ShouldBeFalse();
        Directory.GetFiles(_out.Path, "*.tmp", SearchOption.AllDirectories).ShouldBeEmpty();
        File.ReadAllLines(_out.File(BuildArtifacts.Log)).Last().ShouldContain("build.failed");
    }

    [Fact]
    public void Build_MaskPii_MasksPhoneNumbersInTheMessagesAndIds()
    {
        var tok = tokenizer.Tokenizer;

        var result = Build(TestFiles.Warnings("KD040-personal-data.jsonl"), o => o with { MaskPii = true, Size = new SizeRange(1, 10), EvalFraction = 0 });

        result.Succeeded.ShouldBeTrue(result.FailureMessage);
        result.Report!.Pii.Total.ShouldBe(1);
        var line = File.ReadAllText(_out.File(BuildArtifacts.Train));
        line.ShouldContain("138****5678");
        line.ShouldNotContain("13812345678");
        var ids = ReadJsonl(_out.File(BuildArtifacts.Train))[0].GetProperty("input_ids").EnumerateArray().Select(e => e.GetInt32());
        tok.Decode(ids).ShouldContain("138****5678");
    }

    [Fact]
    public void Build_NearDuplicates_KeepsTheFirstAndReportsTheOther()
    {
        _ = tokenizer.Tokenizer;

        var result = Build(TestFiles.Warnings("KD030-near-duplicate.jsonl"), o => o with { Size = new SizeRange(1, 10), EvalFraction = 0 });

        result.Succeeded.ShouldBeTrue(result.FailureMessage);
        var removed = result.Report!.DuplicatesRemoved.ShouldHaveSingleItem();
        removed.Removed.ShouldBe("KD030-near-duplicate.jsonl:2");
        removed.Kept.ShouldBe("KD030-near-duplicate.jsonl:1");
        ReadJsonl(_out.File(BuildArtifacts.Train)).ShouldHaveSingleItem().GetProperty("source").GetString().ShouldBe("KD030-near-duplicate.jsonl:1");
    }

    [Fact]
    public void Build_BadTokenizerFolder_FailsWithAClearMessage()
    {
        var options = new DatasetBuildOptions { Paths = [TestFiles.Valid()], TokenizerDirectory = _out.File("none"), OutputDirectory = _out.Path };

        var result = new DatasetBuilder().Build(options, cancellationToken: TestContext.Current.CancellationToken);

        result.Succeeded.ShouldBeFalse();
        result.FailureMessage.ShouldNotBeNull().ShouldContain("cannot load the tokenizer");
    }

    private static ChatTurn ToTurn(JsonElement message) => new(message.GetProperty("role").GetString()!, message.GetProperty("content").GetString()!)
    {
        ToolCalls = message.TryGetProperty("tool_calls", out var calls)
            ? [.. calls.EnumerateArray().Select(c => new ToolCall(c.GetProperty("function").GetProperty("name").GetString()!, c.GetProperty("function").GetProperty("arguments").GetString()!))]
            : [],
    };

    private static ToolDefinition ToTool(JsonElement tool)
    {
        var function = tool.GetProperty("function");
        return new ToolDefinition(function.GetProperty("name").GetString()!, function.GetProperty("description").GetString()!, function.GetProperty("parameters").GetRawText());
    }
}
