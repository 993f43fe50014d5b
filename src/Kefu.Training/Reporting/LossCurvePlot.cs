using System.Globalization;
using Kefu.Training.Running;
using ScottPlot;

namespace Kefu.Training.Reporting;

/// <summary>loss.png: training loss per step and eval loss per evaluation. English labels: training machines often lack CJK fonts.</summary>
public static class LossCurvePlot
{
    public const string FileName = "loss.png";

    public static void Save(IReadOnlyList<TrainingProgress> entries, string path, string title)
    {
        var plot = new Plot();
        var train = entries.Where(e => e.Kind == "train" && e.Loss is not null).ToList();
        var eval = entries.Where(e => e.Kind == "eval" && e.EvalLoss is not null).ToList();
        if (train.Count > 0)
        {
            var line = plot.Add.Scatter(train.Select(e => (double)e.Step).ToArray(), train.Select(e => e.Loss!.Value).ToArray());
            line.LegendText = "train loss";
            line.MarkerSize = train.Count > 60 ? 0 : 4;
        }
        if (eval.Count > 0)
        {
            var line = plot.Add.Scatter(eval.Select(e => (double)e.Step).ToArray(), eval.Select(e => e.EvalLoss!.Value).ToArray());
            line.LegendText = "eval loss";
            line.MarkerSize = 6;
        }
        plot.Title(title);
        plot.XLabel("optimizer step");
        plot.YLabel("cross-entropy per assistant token");
        plot.ShowLegend(Alignment.UpperRight);
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8] + ".png";
        plot.SavePng(temp, 900, 500);
        File.Move(temp, path, overwrite: true);
    }

    internal static string Title(TrainingRecipe recipe, int steps) =>
        string.Create(CultureInfo.InvariantCulture, $"LoRA training ({recipe.Name}, {steps} steps, r={recipe.Lora.Rank})");
}
