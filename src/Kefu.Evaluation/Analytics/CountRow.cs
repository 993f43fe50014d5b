namespace Kefu.Evaluation.Analytics;

/// <summary>A label with a count and, where it applies, a rate (e.g. an intent and its resolution rate).</summary>
public sealed record CountRow(string Label, int Count, double? Rate = null);
