using Kefu.Evaluation.Scenarios;
using Kefu.Testing;

namespace Kefu.Evaluation.Tests.Scoring;

public sealed class RegressionSetReaderTests
{
    [Fact]
    public void Read_DemoRegressionSet_HasEightyScenariosWithExpectations()
    {
        var path = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce", "regression.jsonl");
        var scenarios = RegressionSetReader.Read(path);
        scenarios.Count.ShouldBe(80);
        scenarios.Select(s => s.Id).Distinct().Count().ShouldBe(80);
        scenarios.ShouldContain(s => s.Expect.Tool != null);
        scenarios.ShouldContain(s => s.Expect.Handoff);
    }

    [Fact]
    public void Read_ToolGivenAsString_FailsNamingFileLineAndField()
    {
        using var temp = new TempDirectory();
        var path = temp.File("r.jsonl");
        File.WriteAllLines(path, ["""{"id":"a","turns":["x"]}""", "", """{"id":"b","turns":["y"],"expect":{"tool":"query_order"}}"""]);
        var error = Should.Throw<RegressionFormatException>(() => RegressionSetReader.Read(path));
        error.Message.ShouldBe($"{path}:3: field expect.tool: expected an object or null.");
    }

    [Fact]
    public void Read_DuplicateId_FailsNamingBothLines()
    {
        using var temp = new TempDirectory();
        var path = temp.File("r.jsonl");
        File.WriteAllLines(path, ["""{"id":"a","turns":["x"]}""", """{"id":"a","turns":["y"]}"""]);
        Should.Throw<RegressionFormatException>(() => RegressionSetReader.Read(path)).Message.ShouldContain(":2: field id: \"a\" was already used on line 1");
    }

    [Fact]
    public void Read_ReferenceExtension_IsReadAndOldFieldsStayOptional()
    {
        var scenario = RegressionSetReader.Parse("""{"id":"a","turns":["x"],"expect":{"reference":"参考答案"}}""", "f", 1);
        scenario.Expect.Reference.ShouldBe("参考答案");
        scenario.Expect.Facts.ShouldBeEmpty();
        scenario.Expect.Tool.ShouldBeNull();
        scenario.Category.ShouldBe("untagged");
    }
}
