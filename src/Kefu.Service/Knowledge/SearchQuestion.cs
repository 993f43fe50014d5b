namespace Kefu.Service.Knowledge;

/// <summary>A question as the scorers need it: its runs and match terms, and the statistics of this generation.</summary>
internal sealed record SearchQuestion(List<TextRun> Runs, List<string> Terms, TermStatisticsCache.Generation Cache, long DocumentCount);
