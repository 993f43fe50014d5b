using System.Globalization;
using ScottPlot;

namespace Kefu.LoadTesting;

/// <summary>
/// The latency histogram of a load run as a PNG: served turns binned by latency, with p50/p95/p99 marked (and the time
/// to first token beside it for streamed runs). Labels are English: servers often have no CJK fonts.
/// </summary>
public static class LatencyHistogram
{
    private const int Bins = 30;

    public static void SavePng(LoadReport report, string path)
    {
        ArgumentNullException.ThrowIfNull(report);
        var plot = new Plot();
        var latencies = report.Latencies;
        var firstTokens = report.FirstTokenLatencies;
        var max = latencies.Concat(firstTokens).DefaultIfEmpty(1).Max();
        var width = Math.Max(max / Bins, 0.001);
        AddBars(plot, latencies, width, Colors.SteelBlue, "whole reply");
        if (firstTokens.Count > 0)
            AddBars(plot, firstTokens, width, Colors.Orange.WithAlpha(0.7), "first token (streamed)");
        foreach (var (percentile, color) in new[] { (50.0, Colors.Green), (95.0, Colors.DarkOrange), (99.0, Colors.Red) })
        {
            if (latencies.Count == 0)
                break;
            var value = report.LatencyPercentile(percentile);
            var line = plot.Add.VerticalLine(value);
            line.Color = color;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"p{percentile:0} {value:F0} ms");
        }
        var options = report.Options;
        plot.Title(string.Create(CultureInfo.InvariantCulture,
            $"{options.Sessions} sessions x {options.TurnsPerSession} turns: {report.Served} served, {report.TurnsPerSecond:F1} turns/s"));
        plot.XLabel("latency (ms)");
        plot.YLabel("turns");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperCenter);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        // Written beside the target, then renamed: a reader never sees half an image.
        var temporary = path + ".tmp.png";
        plot.SavePng(temporary, 900, 500);
        File.Move(temporary, path, overwrite: true);
    }

    private static void AddBars(Plot plot, IReadOnlyList<double> values, double width, Color color, string legend)
    {
        var counts = new int[Bins + 1];
        foreach (var value in values)
            counts[Math.Min((int)(value / width), Bins)]++;
        var bars = counts.Select((count, i) => new Bar { Position = (i + 0.5) * width, Value = count, Size = width * 0.9, FillColor = color }).ToList();
        var added = plot.Add.Bars(bars);
        added.LegendText = legend;
    }
}
