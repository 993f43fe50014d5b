using Kefu.Data.Diagnostics;
using Kefu.Data.Validation;

namespace Kefu.Data.Tests.Validation;

/// <summary>
/// TestData/broken holds one file per failure kind, named after the code it must produce. Each must give exactly one
/// error, with that code, on the right line and field; TestData/valid must give no error and no warning.
/// </summary>
public sealed class BrokenFileTests
{
    private static ValidationReport Validate(string path) =>
        new DatasetValidator(TestFiles.Root).Validate([path], new ValidationOptions());

    [Theory]
    [InlineData("KD001-invalid-json.jsonl", 2, null)]
    [InlineData("KD001-invalid-json-array.json", 6, null)]
    [InlineData("KD002-gbk.csv", 2, null)]
    [InlineData("KD002-invalid-utf8.jsonl", 2, null)]
    [InlineData("KD004-unknown-format.jsonl", 1, null)]
    [InlineData("KD006-manifest", 3, "sources[0].format")]
    [InlineData("KD010-missing-field.jsonl", 1, "output")]
    [InlineData("KD010-csv-no-answer-column.csv", 1, "answer")]
    [InlineData("KD011-wrong-type.jsonl", 1, "messages[1].content")]
    [InlineData("KD012-empty-answer.jsonl", 1, "output")]
    [InlineData("KD012-empty-answer.csv", 3, "answer")]
    [InlineData("KD013-empty-question.jsonl", 1, "messages[0].content")]
    [InlineData("KD014-unknown-role.jsonl", 1, "messages[0].role")]
    [InlineData("KD014-unknown-from.sharegpt.json", 5, "conversations[1].from")]
    [InlineData("KD015-control-character.jsonl", 1, "output")]
    [InlineData("KD016-duplicate-id.jsonl", 2, "id")]
    [InlineData("KD017-ends-with-user.jsonl", 1, "messages[2].role")]
    [InlineData("KD018-invalid-tool-arguments.jsonl", 1, "messages[1].tool_calls[0].function.arguments")]
    [InlineData("KD019-undeclared-tool.jsonl", 1, "messages[1].tool_calls[0].function.name")]
    [InlineData("KD020-unmatched-tool-result.jsonl", 1, "messages[2].tool_call_id")]
    [InlineData("KD022-unknown-category.jsonl", 1, "category")]
    [InlineData("KD023-csv-row-shape.csv", 3, null)]
    [InlineData("KD024-invalid-tool-definition.jsonl", 1, "tools[0]")]
    public void Validate_BrokenFile_GivesExactlyOneErrorWithItsCodeLineAndField(string name, int line, string? field)
    {
        var report = Validate(TestFiles.Broken(name));

        var errors = report.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        errors.Count.ShouldBe(1, string.Join('\n', errors));
        var error = errors[0];
        error.Code.ShouldBe(name[..5]);
        error.Line.ShouldBe(line, error.ToString());
        error.Field.ShouldBe(field, error.ToString());
        error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void BrokenFolder_EveryFileIsCoveredByTheTheory()
    {
        var covered = typeof(BrokenFileTests).GetMethod(nameof(Validate_BrokenFile_GivesExactlyOneErrorWithItsCodeLineAndField))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>().Select(a => (string)a.Data[0]!).ToHashSet();
        var present = Directory.EnumerateFileSystemEntries(Path.Combine(TestFiles.Root, "broken")).Select(Path.GetFileName).ToList();

        present.ShouldAllBe(name => covered.Contains(name!));
    }

    [Theory]
    [InlineData("KD003-bom.jsonl")]
    [InlineData("KD005-empty-file.jsonl")]
    [InlineData("KD030-near-duplicate.jsonl")]
    [InlineData("KD040-personal-data.jsonl")]
    public void Validate_FileWithAWarning_GivesExactlyThatWarningAndNoError(string name)
    {
        var report = Validate(TestFiles.Warnings(name));

        report.ErrorCount.ShouldBe(0, string.Join('\n', report.Diagnostics));
        var warnings = report.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Warning).ToList();
        warnings.Count.ShouldBe(1, string.Join('\n', warnings));
        warnings[0].Code.ShouldBe(name[..5]);
    }

    [Fact]
    public void Validate_ValidFolder_GivesNoErrorsOrWarnings()
    {
        var report = Validate(TestFiles.Valid());

        report.Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Note).ShouldBeEmpty();
        report.Dataset.Records.Count.ShouldBe(11);
        report.Dataset.Sources.Select(s => s.Records).Sum().ShouldBe(11);
    }

    [Fact]
    public void Diagnostic_ToString_ReadsLikeACompilerMessage()
    {
        var report = Validate(TestFiles.Broken("KD012-empty-answer.jsonl"));

        report.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error).ToString()
            .ShouldBe("broken/KD012-empty-answer.jsonl:1: error KD012 field 'output': empty answer");
    }

    [Fact]
    public void Validate_GbkFile_NamesTheByteOffsetAndSuggestsIconv()
    {
        var error = Validate(TestFiles.Broken("KD002-gbk.csv")).Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);

        error.Message.ShouldContain("byte offset 16");
        error.Message.ShouldContain("GBK");
    }

    [Fact]
    public void Validate_MissingPath_IsAnError()
    {
        var report = Validate(Path.Combine(TestFiles.Root, "no-such-folder"));

        report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.PathNotFound && d.Severity == DiagnosticSeverity.Error);
    }
}
