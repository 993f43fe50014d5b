using System.Text.Json;
using Kefu.Service.Tools;

namespace Kefu.Service.Tests.Support;

/// <summary>A tool with a real tool's name and schema whose behaviour the test supplies; it records its calls.</summary>
internal sealed class FakeTool(ITool definition, Func<JsonElement, ToolResult> behaviour) : ITool
{
    public List<JsonElement> Calls { get; } = [];

    public string Name => definition.Name;

    public string Description => definition.Description;

    public JsonElement ParametersSchema => definition.ParametersSchema;

    public bool RequiresConfirmation => definition.RequiresConfirmation;

    public Task<ToolResult> InvokeAsync(JsonElement arguments, CancellationToken cancellationToken)
    {
        Calls.Add(arguments.Clone());
        return Task.FromResult(behaviour(arguments));
    }
}
