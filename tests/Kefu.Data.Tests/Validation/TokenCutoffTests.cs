using Kefu.Data.Diagnostics;
using Kefu.Data.Validation;

namespace Kefu.Data.Tests.Validation;

public sealed class TokenCutoffTests(TokenizerFixture tokenizer) : IClassFixture<TokenizerFixture>
{
    [Fact]
    public void Validate_WithTokenizer_WarnsAboutSamplesOverTheCutoff()
    {
        var report = new DatasetValidator(TestFiles.Root).Validate([TestFiles.Valid()], new ValidationOptions { Tokenizer = tokenizer.Tokenizer, Cutoff = 60 });

        report.TokenCounts.ShouldNotBeNull().Count.ShouldBe(report.Dataset.Records.Count);
        var warnings = report.Diagnostics.Where(d => d.Code == DiagnosticCodes.OverCutoff).ToList();
        warnings.ShouldNotBeEmpty();
        warnings.Count.ShouldBe(report.TokenCounts.Count(c => c > 60));
        warnings.ShouldAllBe(w => w.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Validate_WithTokenizerAndDefaultCutoff_ValidFilesGiveNoDiagnosticsAtAll()
    {
        var report = new DatasetValidator(TestFiles.Root).Validate([TestFiles.Valid()], new ValidationOptions { Tokenizer = tokenizer.Tokenizer });

        report.Diagnostics.Where(d => d.Code != DiagnosticCodes.FileSkipped).ShouldBeEmpty();
    }

    [Fact]
    public void Validate_WithoutTokenizer_SaysTheLengthCheckWasSkipped() =>
        new DatasetValidator(TestFiles.Root).Validate([TestFiles.Valid()], new ValidationOptions())
            .Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.TokenCheckSkipped && d.Severity == DiagnosticSeverity.Note);
}
