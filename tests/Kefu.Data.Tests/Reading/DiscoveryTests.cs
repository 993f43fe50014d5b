using Kefu.Data.Diagnostics;
using Kefu.Data.Reading;
using Kefu.Data.Records;
using Kefu.Testing;

namespace Kefu.Data.Tests.Reading;

/// <summary>How PATH arguments resolve: the manifest when there is one, else a content-aware folder scan.</summary>
public sealed class DiscoveryTests : IDisposable
{
    private const string Tools = """[{"type":"function","function":{"name":"query_order","description":"查询订单","parameters":{"type":"object","properties":{"order_id":{"type":"string"}}}}}]""";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private void Write(string relative, string text)
    {
        var path = _dir.File(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    private LoadedDataset Load(params string[] paths) => new DatasetLoader(_dir.Path).Load(paths);

    [Fact]
    public void Manifest_DefaultCategoryFormatToolsAndSystem_ApplyToItsSources()
    {
        Write("kefu-data.json", """
            {
              "sources": [
                { "path": "data/*.csv", "format": "csv", "category": "exception" },
                { "path": "data/chat.jsonl", "format": "messages" }
              ],
              "tools": "tools.json",
              "system": "你是青禾优选的客服。",
              "eval": ["regression.jsonl"]
            }
            """);
        Write("tools.json", Tools);
        Write("data/a.csv", "question,answer,category\n几点发货？,16点前付款当天发货。,\n发票怎么开？,确认收货后申请。,knowledge\n");
        Write("data/chat.jsonl", """{"messages":[{"role":"user","content":"查ORD12345"},{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"query_order","arguments":"{\"order_id\":\"ORD12345\"}"}}]}]}""" + "\n");
        Write("regression.jsonl", """{"id":"reg-1","turns":["几点发货？"],"expect":{}}""" + "\n");

        var loaded = Load(".");

        loaded.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        loaded.Records.Count.ShouldBe(3);
        loaded.Records[0].CategorySource.ShouldBe(CategorySource.Manifest);
        loaded.Records[0].Category.ShouldBe(DataCategory.Exception);
        loaded.Records[1].CategorySource.ShouldBe(CategorySource.Field);
        loaded.Records.ShouldAllBe(r => r.Turns[0].Role == "system" && r.Turns[0].Content == "你是青禾优选的客服。");
        loaded.Records[2].Tools.ShouldHaveSingleItem().Name.ShouldBe("query_order");
        loaded.Records[2].Source.ShouldBe("data/chat.jsonl:1");
        loaded.EvalFiles.ShouldHaveSingleItem().RelativePath.ShouldBe("regression.jsonl");
    }

    [Fact]
    public void Manifest_NamingAMissingFile_IsAnErrorOnItsLine()
    {
        Write("kefu-data.json", "{\n  \"sources\": [\n    { \"path\": \"nope.csv\" }\n  ]\n}\n");

        var error = Load(".").Diagnostics.ShouldHaveSingleItem();

        error.Code.ShouldBe(DiagnosticCodes.ManifestError);
        error.Line.ShouldBe(3);
        error.Message.ShouldContain("nope.csv");
    }

    [Fact]
    public void Scan_WithoutManifest_SkipsNonDatasetFilesAndTreatsEvalNamedFilesAsEvalSets()
    {
        Write("data/faq.csv", "question,answer\n几点发货？,16点前付款当天发货。\n");
        Write("orders.json", """{"orders":[{"order_id":"ORD12345"}]}""");
        Write("tools.json", Tools);
        Write("regression.jsonl", """{"turns":["几点发货？"]}""" + "\n");
        Write("out/dataset.json", "{}");
        Write("out/train.jsonl", """{"messages":[]}""" + "\n");
        Write(".git/x.json", "{}");

        var loaded = Load(_dir.Path);

        loaded.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Note).ShouldBeEmpty();
        loaded.Sources.ShouldHaveSingleItem().File.RelativePath.ShouldBe("data/faq.csv");
        loaded.EvalFiles.ShouldHaveSingleItem().RelativePath.ShouldBe("regression.jsonl");
        loaded.Diagnostics.ShouldContain(d => d.Path.EndsWith("orders.json", StringComparison.Ordinal) && d.Code == DiagnosticCodes.FileSkipped);
    }

    [Fact]
    public void Scan_FormatIsDetectedFromContentNotTheFileName()
    {
        Write("a.json", """[{"conversations":[{"from":"human","value":"你好"},{"from":"gpt","value":"您好，有什么可以帮您？"}]}]""");
        Write("b.json", """{"messages":[{"role":"user","content":"在吗"},{"role":"assistant","content":"在的，请说。"}]}""");

        var loaded = Load(_dir.Path);

        loaded.Sources.Select(s => s.Format).ShouldBe([DatasetFormat.ShareGpt, DatasetFormat.Messages]);
    }

    [Fact]
    public void ExplicitFile_InAnUnknownFormat_IsAnError()
    {
        Write("notes.json", """{"title":"x"}""");

        Load("notes.json").Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.UnknownFormat);
    }
}
