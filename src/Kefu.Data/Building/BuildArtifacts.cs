namespace Kefu.Data.Building;

/// <summary>The file names a build writes into its output folder.</summary>
public static class BuildArtifacts
{
    public const string Train = "train.jsonl";
    public const string Eval = "eval.jsonl";
    public const string DatasetInfo = "dataset.json";
    public const string ReportJson = "report.json";
    public const string ReportMarkdown = "report.md";
    public const string Histogram = "token-lengths.png";
    public const string Log = "build.log.jsonl";
}
