using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Safety.Pii;
using Kefu.Service.Diagnostics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Kefu.Service.Tools;

/// <summary>
/// The tools the assistant may call, by name. Every call goes through <see cref="InvokeAsync"/>: arguments are
/// validated against the tool's schema, the outcome and time are logged and counted, and the caller gets a
/// <see cref="ToolCallRecord"/> to report.
/// </summary>
public sealed partial class ToolRegistry
{
    // Arguments that identify or choose rather than describe: safe and useful in a log line.
    private static readonly HashSet<string> LoggedAsIs = new(StringComparer.Ordinal) { "order_id", "refund_type" };
    private static readonly JsonSerializerOptions LogJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly Dictionary<string, ITool> _tools;
    private readonly ServiceMetrics _metrics;
    private readonly ILogger<ToolRegistry> _logger;

    public ToolRegistry(IEnumerable<ITool> tools, ServiceMetrics metrics, ILogger<ToolRegistry> logger)
    {
        _tools = new Dictionary<string, ITool>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            if (!_tools.TryAdd(tool.Name, tool))
                throw new ArgumentException($"Two tools are named {tool.Name}.", nameof(tools));
        }
        _metrics = metrics;
        _logger = logger;
    }

    public IReadOnlyCollection<ITool> Tools => _tools.Values;

    public bool Contains(string name) => _tools.ContainsKey(name);

    public ITool? Find(string name) => _tools.GetValueOrDefault(name);

    /// <summary>The tools as Microsoft.Extensions.AI declarations, for <see cref="ChatOptions.Tools"/>.</summary>
    public IList<AITool> ToDeclarations() =>
        _tools.Values.Select(t => (AITool)AIFunctionFactory.CreateDeclaration(t.Name, t.Description, t.ParametersSchema)).ToList();

    /// <summary>The tools in OpenAI's <c>tools</c> format (the format of samples/ecommerce/tools.json).</summary>
    public JsonArray ToOpenAiFormat() =>
        [.. _tools.Values.Select(t => (JsonNode)new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = t.Name,
                ["description"] = t.Description,
                ["parameters"] = JsonNode.Parse(t.ParametersSchema.GetRawText()),
            },
        })];

    public async Task<(ToolResult Result, ToolCallRecord Record)> InvokeAsync(string name, JsonElement arguments, CancellationToken cancellationToken)
    {
        using var stage = _metrics.BeginStage(StageNames.Tool);
        stage.Tag("kefu.tool.name", name);
        var started = Stopwatch.GetTimestamp();
        var rawArguments = arguments.GetRawText();
        ToolResult result;
        if (!_tools.TryGetValue(name, out var tool))
        {
            result = ToolResult.Failure(ToolOutcome.InvalidArguments, $"no tool named {name}; available: {string.Join(", ", _tools.Keys)}");
        }
        else if (ToolArgumentValidator.Validate(tool.ParametersSchema, arguments) is { Count: > 0 } errors)
        {
            result = ToolResult.Failure(ToolOutcome.InvalidArguments, string.Join("; ", errors));
        }
        else
        {
            try
            {
                result = await tool.InvokeAsync(arguments, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // The tool implementations map expected failures themselves; anything reaching here is a defect or an
                // infrastructure fault, and the conversation must go on (to a human if need be), not crash.
                LogToolFault(name, e);
                stage.Fail(e);
                result = ToolResult.Failure(ToolOutcome.Unavailable, "the system is not available right now");
            }
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        var outcome = JsonNamingPolicy.SnakeCaseLower.ConvertName(result.Outcome.ToString());
        var handled = result.Outcome is ToolOutcome.Success or ToolOutcome.Refused or ToolOutcome.NotFound;
        _metrics.ToolCalled(name, outcome, handled, elapsed);
        stage.Tag("kefu.tool.outcome", outcome).Tag("kefu.tool.handled", handled);
        // Arguments carry what the customer typed (a new address with a phone number); results may echo it back.
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var maskedArguments = ArgumentsForLog(arguments);
            var maskedDetail = PiiScanner.Default.Mask(result.Message);
            LogToolCall(name, maskedArguments, outcome, elapsed.TotalMilliseconds, maskedDetail);
        }
        return (result, new ToolCallRecord(name, rawArguments, outcome, Math.Round(elapsed.TotalMilliseconds, 2),
            result.Outcome == ToolOutcome.Success ? null : result.Message));
    }

    /// <summary>
    /// The arguments as the log shows them: identifiers and choices as they are, free text (a new address, a refund
    /// reason — the customer's own words) as its length only, and personal data masked in what is left.
    /// </summary>
    internal static string ArgumentsForLog(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
            return PiiScanner.Default.Mask(arguments.GetRawText());
        var shown = new JsonObject();
        foreach (var argument in arguments.EnumerateObject())
        {
            shown[argument.Name] = argument.Value.ValueKind == JsonValueKind.String && !LoggedAsIs.Contains(argument.Name)
                ? $"<{argument.Value.GetString()!.Length} chars>"
                : JsonNode.Parse(argument.Value.GetRawText());
        }
        return PiiScanner.Default.Mask(shown.ToJsonString(LogJson));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Tool {Tool}({Arguments}) -> {Outcome} in {Milliseconds:F1} ms {Detail}")]
    private partial void LogToolCall(string tool, string arguments, string outcome, double milliseconds, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} failed unexpectedly")]
    private partial void LogToolFault(string tool, Exception exception);
}
