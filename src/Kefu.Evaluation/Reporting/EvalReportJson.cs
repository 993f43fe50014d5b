using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Evaluation.Reporting;

/// <summary>Reads and writes <see cref="EvalReport"/> JSON (snake_case, readable Chinese, written atomically).</summary>
public static class EvalReportJson
{
    internal static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Write(EvalReport report, string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Options));

    /// <summary>Reads a report; errors name the file (and line for JSON errors).</summary>
    public static EvalReport Read(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"{path}: evaluation report not found.");
        try
        {
            var report = JsonSerializer.Deserialize<EvalReport>(File.ReadAllText(path), Options)
                ?? throw new InvalidDataException($"{path}: expected a JSON object.");
            if (report.Format != EvalReport.FormatName)
                throw new InvalidDataException($"{path}: field format: \"{report.Format}\" is not {EvalReport.FormatName}.");
            return report;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: line {e.LineNumber + 1}: {e.Message}", e);
        }
    }
}
