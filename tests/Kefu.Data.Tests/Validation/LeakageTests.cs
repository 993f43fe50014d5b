using Kefu.Data.Diagnostics;
using Kefu.Data.Validation;
using Kefu.Testing;

namespace Kefu.Data.Tests.Validation;

public sealed class LeakageTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Validate_TrainingQuestionCopiedIntoTheRegressionSet_IsReportedAsLeakage()
    {
        File.WriteAllText(_dir.File("kefu-data.json"), """{"sources": ["faq.csv"], "eval": ["regression.jsonl"]}""");
        File.WriteAllText(_dir.File("faq.csv"), "question,answer\n签收后几天内可以无理由退货？,签收次日起7天内可以无理由退货。\n发票怎么开？,确认收货后在订单页申请。\n");
        File.WriteAllText(_dir.File("regression.jsonl"),
            """{"id":"reg-1","turns":["签收后几天内可以无理由退货?"],"expect":{"facts":["7天"]}}""" + "\n"
            + """{"id":"reg-2","turns":["可以用花呗分期吗？"],"expect":{}}""" + "\n");

        var report = new DatasetValidator(_dir.Path).Validate(["."], new ValidationOptions());

        var finding = report.Leakage.ShouldHaveSingleItem();
        finding.Train.Source.ShouldBe("faq.csv:2");
        finding.Eval.Location.ShouldBe("regression.jsonl:1");
        report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.Leakage && d.Line == 2 && d.Severity == DiagnosticSeverity.Warning);
    }
}
