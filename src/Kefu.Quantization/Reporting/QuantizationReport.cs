using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kefu.Quantization.Reporting;

/// <summary>The comparison <c>kefu quantize --report</c> writes as quantization_report.json and .md.</summary>
public sealed record QuantizationReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public required string Model { get; init; }
    public required string ComputeType { get; init; }
    public required QuantizationScheme Scheme { get; init; }
    public required int CalibrationSamples { get; init; }
    public required int EvalExamples { get; init; }
    public required TimeSpan GptqTime { get; init; }
    public required bool PeakPerVariant { get; init; }
    public required int Threads { get; init; }
    public required IReadOnlyList<VariantMeasurement> Variants { get; init; }

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        Write(Path.Combine(directory, "quantization_report.json"), JsonSerializer.Serialize(this, Json) + "\n");
        Write(Path.Combine(directory, "quantization_report.md"), ToMarkdown());
    }

    public string ToMarkdown()
    {
        static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        static string Mb(long bytes) => F(bytes / 1e6, "0.0") + " MB";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Quantization report: {Model}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"4-bit, group size {Scheme.GroupSize}, {(Scheme.Symmetric ? "symmetric" : "asymmetric")}, act-order {(Scheme.ActOrder ? "on" : "off")}, ");
        text.Append(CultureInfo.InvariantCulture, $"damp {Scheme.DampPercent}; {CalibrationSamples} calibration samples from the training split; GPTQ took {F(GptqTime.TotalSeconds, "0.0")} s. ");
        text.Append(CultureInfo.InvariantCulture, $"Compute type {ComputeType}, {Threads} threads; perplexity on the assistant tokens of {EvalExamples} eval examples.\n\n");
        text.Append("| variant | weights | decoder linears | RSS after load | peak RSS (load + decode) | perplexity | decode tokens/s |\n|---|---:|---:|---:|---:|---:|---:|\n");
        foreach (var v in Variants)
            text.Append(CultureInfo.InvariantCulture, $"| {v.Name} | {Mb(v.WeightBytes)} | {Mb(v.LinearWeightBytes)} | {Mb(v.ResidentAfterLoadBytes)} | {Mb(v.PeakResidentBytes)} | {F(v.Perplexity.Perplexity, "0.000")} | {F(v.DecodeTokensPerSecond, "0.00")} |\n");
        if (!PeakPerVariant)
            text.Append("\nPeak RSS could not be reset between variants here (/proc/self/clear_refs not writable): each figure is the process peak so far.\n");
        return text.ToString();
    }

    private static void Write(string path, string content)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        File.Move(temp, path, overwrite: true);
    }
}
