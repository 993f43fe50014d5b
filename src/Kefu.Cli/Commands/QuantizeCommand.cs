using System.CommandLine;
using System.Globalization;
using Kefu.Cli.Commands.Model;
using Kefu.Model.Configuration;
using Kefu.Model.Runtime;
using Kefu.Model.Safetensors;
using Kefu.Quantization;
using Kefu.Training.Data;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu quantize --model DIR --data DIR --out DIR [--method gptq|rtn] [--report]</c>: 4-bit GPTQ (or RTN) into an
/// AutoGPTQ/GPTQModel checkpoint folder that kefu chat/serve, transformers and vLLM load.
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var model = ModelCliOptions.ModelDirectory();
        var data = new Option<string>("--data") { Description = "Training folder made by `kefu data build` (calibration from train.jsonl, perplexity on eval.jsonl)", Required = true };
        var output = new Option<string>("--out") { Description = "New GPTQ model folder (must not exist or be empty)", Required = true };
        var method = new Option<string>("--method") { Description = "gptq (error-compensating, needs calibration) or rtn (round to nearest)", DefaultValueFactory = _ => "gptq" };
        var groupSize = new Option<int>("--group-size") { Description = "Input columns per scale/zero group (-1: whole row)", DefaultValueFactory = _ => 128 };
        var actOrder = new Option<bool>("--desc-act") { Description = "GPTQ act-order: quantize columns by decreasing Hessian diagonal" };
        var asymmetric = new Option<bool>("--asym") { Description = "Asymmetric ranges (per-group zero points) instead of symmetric" };
        var damp = new Option<double>("--damp") { Description = "Hessian dampening as a share of its mean diagonal", DefaultValueFactory = _ => 0.01 };
        var samples = new Option<int>("--samples") { Description = "Calibration samples from the training split", DefaultValueFactory = _ => 128 };
        var seqLen = new Option<int>("--seq-len") { Description = "Longest calibration sample in tokens", DefaultValueFactory = _ => 512 };
        var seed = new Option<long>("--seed") { Description = "Seed for choosing calibration samples", DefaultValueFactory = _ => 0 };
        var report = new Option<bool>("--report") { Description = "Compare bf16, GPTQ and RTN: weight bytes, peak memory, eval perplexity, decode tokens/s" };
        var evalExamples = new Option<int>("--eval-examples") { Description = "Eval examples scored for the report's perplexity", DefaultValueFactory = _ => 64 };
        var dtype = ModelCliOptions.DType("bfloat16");
        dtype.Description = "Compute type of the report's measurements (int4 layers dequantise into it): bfloat16 or float32";
        var threads = ModelCliOptions.Threads();
        var command = new Command("quantize", "Quantize a model to 4 bits (GPTQ or RTN) in the AutoGPTQ/GPTQModel checkpoint format")
        {
            model, data, output, method, groupSize, actOrder, asymmetric, damp, samples, seqLen, seed, report, evalExamples, dtype, threads,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            try
            {
                if (parseResult.GetValue(threads) is { } count)
                    TorchThreads.Set(count);
                var options = new QuantizationRunOptions
                {
                    ModelDirectory = parseResult.GetRequiredValue(model),
                    DataDirectory = parseResult.GetRequiredValue(data),
                    OutputDirectory = parseResult.GetRequiredValue(output),
                    Method = parseResult.GetRequiredValue(method).Trim().ToLowerInvariant() switch
                    {
                        "gptq" => QuantizationMethod.Gptq,
                        "rtn" => QuantizationMethod.Rtn,
                        var other => throw new ArgumentException($"Unknown --method '{other}': use gptq or rtn."),
                    },
                    Scheme = new QuantizationScheme
                    {
                        GroupSize = parseResult.GetValue(groupSize),
                        ActOrder = parseResult.GetValue(actOrder),
                        Symmetric = !parseResult.GetValue(asymmetric),
                        DampPercent = parseResult.GetValue(damp),
                    }.Validated(),
                    CalibrationSamples = parseResult.GetValue(samples),
                    CalibrationMaxLength = parseResult.GetValue(seqLen),
                    Seed = parseResult.GetValue(seed),
                    Report = parseResult.GetValue(report),
                    EvalExamples = parseResult.GetValue(evalExamples),
                    ReportComputeType = ModelCliOptions.ParseScalarType(parseResult.GetRequiredValue(dtype)),
                };
                var result = await Task.Run(() => QuantizationRun.Run(options, step => console.MarkupLine($"[grey]{Markup.Escape(step)}[/]")), cancellationToken).ConfigureAwait(false);
                console.MarkupLine($"[green]Quantized[/] into [bold]{Markup.Escape(Path.GetFullPath(options.OutputDirectory))}[/] (quantize_config.json, qweight/qzeros/scales/g_idx).");
                if (result is not null)
                {
                    var table = new Table().AddColumns("variant", "weights", "decoder linears", "RSS after load", "peak RSS", "perplexity", "decode tokens/s");
                    foreach (var v in result.Variants)
                    {
                        table.AddRow(v.Name, ModelCliOptions.FormatBytes(v.WeightBytes), ModelCliOptions.FormatBytes(v.LinearWeightBytes),
                            ModelCliOptions.FormatBytes(v.ResidentAfterLoadBytes), ModelCliOptions.FormatBytes(v.PeakResidentBytes), v.Perplexity.Perplexity.ToString("0.000", CultureInfo.InvariantCulture),
                            v.DecodeTokensPerSecond.ToString("0.00", CultureInfo.InvariantCulture));
                    }
                    console.Write(table);
                    console.MarkupLine($"Report: [bold]{Markup.Escape(Path.Combine(Path.GetFullPath(options.OutputDirectory), "quantization_report.md"))}[/]");
                }
                return 0;
            }
            catch (Exception e) when (e is ArgumentException or ModelConfigException or SafetensorsFormatException or SftDatasetException or IOException or InvalidOperationException)
            {
                console.Error(e.Message);
                return 2;
            }
        });
        return command;
    }
}
