using System.Text;

namespace Kefu.Evaluation.Reporting;

/// <summary>The shared page frame of the HTML reports (one self-contained file, no scripts, no external assets).</summary>
internal static class HtmlPage
{
    public static string Wrap(string title, string body) => new StringBuilder()
        .Append("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>").Append(SvgCharts.Escape(title)).Append("</title>")
        .Append("<style>body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:24px;color:#222}")
        .Append("table{border-collapse:collapse;margin:8px 0 20px}td,th{border:1px solid #ccc;padding:4px 8px;font-size:13px;text-align:left;vertical-align:top}")
        .Append("th{background:#f0f3f5}.bad{color:#b3261e;font-weight:bold}.good{color:#2e7d32;font-weight:bold}svg{display:block;margin:8px 0 16px}")
        .Append("</style></head><body><h1>").Append(SvgCharts.Escape(title)).Append("</h1>").Append(body).Append("</body></html>")
        .ToString();
}
