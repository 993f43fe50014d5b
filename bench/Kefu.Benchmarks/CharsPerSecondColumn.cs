using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Kefu.Benchmarks;

/// <summary>A "Chars/s" column: the characters one operation processes divided by its mean time.</summary>
public sealed class CharsPerSecondColumn(Func<BenchmarkCase, int> charactersPerOperation) : IColumn
{
    public string Id => nameof(CharsPerSecondColumn);
    public string ColumnName => "Chars/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "Characters processed per second (characters per operation / mean time)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var meanNanoseconds = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNanoseconds is not > 0)
            return "-";
        var perSecond = charactersPerOperation(benchmarkCase) / (meanNanoseconds.Value / 1e9);
        return perSecond.ToString("N0", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;
    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
