using System.CommandLine;
using System.Globalization;
using Kefu.Evaluation.Analytics;
using Kefu.Service.Dialogue;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu report [--data-dir DIR | --db FILE] [--from DATE] [--to DATE] [--utc-offset +08:00] [--out DIR]</c>:
/// analytics over the server's conversation log: volume, resolution and hand-off rates per day, hand-off reasons,
/// intents, tool failures, latency, clusters of unanswered questions; report.html plus CSV files.
/// </summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = $"The server's data folder (default {ServeCommand.DefaultDataDirectory()})" };
        var db = new Option<string?>("--db") { Description = "The sessions.db file itself (instead of --data-dir)" };
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd, in --utc-offset) or ISO 8601 time" };
        var to = new Option<string?>("--to") { Description = "Day after the last (yyyy-MM-dd) or ISO 8601 time" };
        var offset = new Option<string>("--utc-offset") { Description = "Time zone of the days, as an offset", DefaultValueFactory = _ => "+08:00" };
        var output = new Option<string>("--out") { Description = "Folder for report.html and the CSV files", DefaultValueFactory = _ => "report-out" };
        var threshold = new Option<double>("--cluster-threshold") { Description = "Bigram Jaccard similarity that joins two unanswered questions", DefaultValueFactory = _ => 0.4 };
        var command = new Command("report", "Conversation analytics: volume, resolution, hand-offs, intents, tool failures, latency, unanswered clusters (HTML + CSV)")
        {
            dataDir, db, from, to, offset, output, threshold,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            try
            {
                var zoneOffset = ParseOffset(parseResult.GetRequiredValue(offset));
                var zone = TimeZoneInfo.CreateCustomTimeZone("UTC" + parseResult.GetRequiredValue(offset), zoneOffset, "UTC" + parseResult.GetRequiredValue(offset), "UTC" + parseResult.GetRequiredValue(offset));
                var path = parseResult.GetValue(db) ?? Path.Combine(parseResult.GetValue(dataDir) ?? ServeCommand.DefaultDataDirectory(), "sessions.db");
                var log = SqliteConversationLogReader.Open(path);
                var start = ParseTime(parseResult.GetValue(from), zoneOffset, "--from");
                var end = ParseTime(parseResult.GetValue(to), zoneOffset, "--to");
                var analyzer = new ConversationAnalyzer(zone, parseResult.GetValue(threshold));
                var report = await analyzer.AnalyzeAsync(log, start, end, cancellationToken).ConfigureAwait(false);
                var directory = parseResult.GetRequiredValue(output);
                var html = Path.Combine(directory, "report.html");
                AnalyticsHtmlWriter.Write(report, html);
                var csv = AnalyticsCsvWriter.Write(report, directory);
                console.WriteRawLine($"{report.Sessions} conversations, {report.Turns} turns, resolved {report.ResolutionRate:0.0%}, hand-off {report.HandoffRate:0.0%}, "
                    + $"latency p50 {report.LatencyP50Ms:0} ms / p95 {report.LatencyP95Ms:0} ms, {report.UnansweredClusters.Count} unanswered clusters.");
                console.WriteRawLine($"Report: {html} and {csv.Count} CSV files.");
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or IOException or Microsoft.Data.Sqlite.SqliteException)
            {
                console.Error(e.Message);
                return 1;
            }
        });
        return command;
    }

    private static TimeSpan ParseOffset(string text) =>
        TimeSpan.TryParse(text.StartsWith('+') ? text[1..] : text, CultureInfo.InvariantCulture, out var span) && span.Duration() <= TimeSpan.FromHours(14)
            ? span
            : throw new FormatException($"--utc-offset: \"{text}\" is not an offset like +08:00.");

    private static DateTimeOffset? ParseTime(string? text, TimeSpan offset, string option)
    {
        if (text is null)
            return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), offset);
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        throw new FormatException($"{option}: \"{text}\" is neither yyyy-MM-dd nor an ISO 8601 time.");
    }
}
