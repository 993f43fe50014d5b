using System.Globalization;
using System.Net;
using System.Text;

namespace Kefu.Evaluation.Reporting;

/// <summary>
/// Inline SVG charts for the HTML reports: no image files, no native drawing library, text stays selectable and
/// Chinese labels render with the browser's fonts.
/// </summary>
public static class SvgCharts
{
    private const string Bar = "#3b82a0";
    private static readonly string[] Palette = ["#3b82a0", "#e07b39", "#5aa05a", "#a05a9c", "#c9a227"];

    /// <summary>Horizontal bars, one per item, scaled to <paramref name="max"/> (the largest value when null).</summary>
    public static string HorizontalBars(string title, IReadOnlyList<(string Label, double Value)> items, double? max = null, string format = "0.0%")
    {
        ArgumentNullException.ThrowIfNull(items);
        const int labelWidth = 170, barWidth = 360, row = 22, top = 28;
        var scale = max ?? Math.Max(1e-9, items.Count == 0 ? 1 : items.Max(i => i.Value));
        var height = top + items.Count * row + 8;
        var svg = Open(labelWidth + barWidth + 80, height, title);
        for (var i = 0; i < items.Count; i++)
        {
            var y = top + i * row;
            var width = Math.Max(0, items[i].Value / scale * barWidth);
            // Long labels (router reasons, questions) are shortened to fit; the full text is the tooltip.
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\"><title>{Escape(items[i].Label)}</title>{Escape(Shorten(items[i].Label))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y + 3}\" width=\"{width:0.#}\" height=\"{row - 6}\" fill=\"{Bar}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 4:0.#}\" y=\"{y + 15}\" font-size=\"12\">{Escape(items[i].Value.ToString(format, CultureInfo.InvariantCulture))}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>Lines over shared x labels (days); each series scaled to the common maximum (or <paramref name="max"/>).</summary>
    public static string Lines(string title, IReadOnlyList<string> xLabels, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> series, double? max = null, string format = "0.##")
    {
        ArgumentNullException.ThrowIfNull(xLabels);
        ArgumentNullException.ThrowIfNull(series);
        const int left = 50, width = 560, height = 200, top = 30;
        var all = series.SelectMany(s => s.Values).Where(v => !double.IsNaN(v)).ToList();
        var scale = max ?? Math.Max(1e-9, all.Count == 0 ? 1 : all.Max());
        var svg = Open(left + width + 40, top + height + 60, title);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top + height}\" x2=\"{left + width}\" y2=\"{top + height}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + 4}\" text-anchor=\"end\" font-size=\"11\">{Escape(scale.ToString(format, CultureInfo.InvariantCulture))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + height}\" text-anchor=\"end\" font-size=\"11\">0</text>");
        double X(int i) => left + (xLabels.Count <= 1 ? width / 2.0 : i * (double)width / (xLabels.Count - 1));
        double Y(double v) => top + height - v / scale * height;
        var step = Math.Max(1, xLabels.Count / 8);
        for (var i = 0; i < xLabels.Count; i += step)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(i):0.#}\" y=\"{top + height + 16}\" text-anchor=\"middle\" font-size=\"11\">{Escape(xLabels[i])}</text>");
        for (var s = 0; s < series.Count; s++)
        {
            var color = Palette[s % Palette.Length];
            var points = string.Join(' ', series[s].Values.Select((v, i) => string.Create(CultureInfo.InvariantCulture, $"{X(i):0.#},{Y(double.IsNaN(v) ? 0 : v):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2\" points=\"{points}\"/>");
            foreach (var (v, i) in series[s].Values.Select((v, i) => (v, i)))
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(i):0.#}\" cy=\"{Y(double.IsNaN(v) ? 0 : v):0.#}\" r=\"3\" fill=\"{color}\"><title>{Escape(xLabels[i])}: {Escape(v.ToString(format, CultureInfo.InvariantCulture))}</title></circle>");
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left + s * 140}\" y=\"{top + height + 30}\" width=\"10\" height=\"10\" fill=\"{color}\"/><text x=\"{left + s * 140 + 14}\" y=\"{top + height + 39}\" font-size=\"12\">{Escape(series[s].Name)}</text>");
        }
        return svg.Append("</svg>").ToString();
    }

    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    // About 160 px at 12 px: 13 CJK characters or ~26 Latin ones.
    internal static string Shorten(string label)
    {
        var width = 0.0;
        for (var i = 0; i < label.Length; i++)
        {
            width += label[i] > 0x2E80 ? 1 : 0.5;
            if (width > 13)
                return label[..i] + "…";
        }
        return label;
    }

    private static StringBuilder Open(int width, int height, string title) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{Escape(title)}\">")
            .Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"16\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>");
}
