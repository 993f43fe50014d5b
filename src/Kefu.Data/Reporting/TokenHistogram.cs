using System.Globalization;
using ScottPlot;

namespace Kefu.Data.Reporting;

/// <summary>
/// The token-length histogram of a build: bins of a round width (about 20 bins over the data), train and eval
/// stacked, the cutoff drawn when it is near the data. Labels are English: the machines that build datasets often
/// have no CJK fonts.
/// </summary>
public static class TokenHistogram
{
    public static HistogramReport Bin(IReadOnlyList<int> train, IReadOnlyList<int> eval, string imageName)
    {
        var max = train.Concat(eval).DefaultIfEmpty(0).Max();
        var width = NiceWidth(max / 20.0);
        var binCount = Math.Max(1, max / width + 1);
        var edges = Enumerable.Range(0, binCount + 1).Select(i => i * width).ToArray();
        return new HistogramReport(width, edges, Count(train, width, binCount), Count(eval, width, binCount), imageName);
    }

    public static void SavePng(HistogramReport histogram, int cutoff, string path)
    {
        var plot = new Plot();
        var trainBars = new List<Bar>();
        var evalBars = new List<Bar>();
        for (var i = 0; i < histogram.Train.Count; i++)
        {
            var center = histogram.Edges[i] + histogram.BinWidth / 2.0;
            trainBars.Add(new Bar { Position = center, Value = histogram.Train[i], Size = histogram.BinWidth * 0.9, FillColor = Colors.SteelBlue });
            evalBars.Add(new Bar { Position = center, ValueBase = histogram.Train[i], Value = histogram.Train[i] + histogram.Eval[i], Size = histogram.BinWidth * 0.9, FillColor = Colors.Orange });
        }
        var trainPlot = plot.Add.Bars(trainBars);
        trainPlot.LegendText = "train";
        var evalPlot = plot.Add.Bars(evalBars);
        evalPlot.LegendText = "eval";
        var maxLength = histogram.Edges[^1];
        if (cutoff <= maxLength * 1.5)
        {
            var line = plot.Add.VerticalLine(cutoff);
            line.Color = Colors.Red;
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"cutoff {cutoff}");
        }
        var total = histogram.Train.Sum() + histogram.Eval.Sum();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Token length per sample ({total} samples, cutoff {cutoff})"));
        plot.XLabel("tokens per sample (chat template, tools included)");
        plot.YLabel("samples");
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 900, 500);
    }

    private static int[] Count(IReadOnlyList<int> lengths, int width, int binCount)
    {
        var counts = new int[binCount];
        foreach (var length in lengths)
            counts[Math.Min(length / width, binCount - 1)]++;
        return counts;
    }

    /// <summary>The smallest of 1, 2, 5 × 10^k that is at least <paramref name="raw"/>.</summary>
    internal static int NiceWidth(double raw)
    {
        if (raw <= 1)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        foreach (var step in new[] { 1, 2, 5, 10 })
        {
            if (step * magnitude >= raw)
                return (int)(step * magnitude);
        }
        return (int)(10 * magnitude);
    }
}
