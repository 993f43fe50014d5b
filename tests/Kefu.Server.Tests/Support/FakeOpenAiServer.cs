using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kefu.Server.Tests.Support;

/// <summary>
/// A tiny OpenAI-compatible server (what vLLM or llama.cpp would be) on loopback: <c>GET /v1/models</c> and a
/// scripted <c>POST /v1/chat/completions</c>. It records the requests, so tests can check what Kefu sent.
/// </summary>
internal sealed class FakeOpenAiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public List<JsonObject> Requests { get; } = [];

    /// <summary>
    /// Starts the server. <paramref name="reply"/> gets each request and returns the assistant message: text, or
    /// tool calls in OpenAI's format.
    /// </summary>
    public static async Task<FakeOpenAiServer> StartAsync(string model, Func<JsonObject, JsonObject> reply)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        FakeOpenAiServer? self = null;
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = model, @object = "model", owned_by = "test" } } }));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var request = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            lock (self!.Requests)
                self.Requests.Add(request);
            var message = reply(request);
            var toolCalls = message["tool_calls"] is not null;
            if (request["stream"]?.GetValue<bool>() == true)
            {
                await StreamAsync(http, model, message, toolCalls);
                return Results.Empty;
            }
            var body = new JsonObject
            {
                ["id"] = "chatcmpl-fake",
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = toolCalls ? "tool_calls" : "stop" }),
                ["usage"] = new JsonObject { ["prompt_tokens"] = 10, ["completion_tokens"] = 5, ["total_tokens"] = 15 },
            };
            return Results.Text(body.ToJsonString(), "application/json");
        });
        var address = await LoopbackApp.StartAsync(app, TestContext.Current.CancellationToken);
        self = new FakeOpenAiServer(app, new Uri(address, "v1"));
        return self;
    }

    /// <summary>The reply as OpenAI streams it: content two characters per chunk, a tool call in one chunk, then [DONE].</summary>
    private static async Task StreamAsync(HttpContext http, string model, JsonObject message, bool toolCalls)
    {
        http.Response.ContentType = "text/event-stream";
        async Task Send(JsonObject delta, string? finish)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-fake", ["object"] = "chat.completion.chunk", ["created"] = 1_700_000_000, ["model"] = model,
                ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            };
            await http.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await http.Response.Body.FlushAsync();
        }
        await Send(new JsonObject { ["role"] = "assistant" }, null);
        if (toolCalls)
        {
            var call = message["tool_calls"]![0]!.DeepClone().AsObject();
            call["index"] = 0;
            await Send(new JsonObject { ["tool_calls"] = new JsonArray(call) }, null);
        }
        var content = message["content"]?.GetValue<string>() ?? "";
        for (var i = 0; i < content.Length; i += 2)
            await Send(new JsonObject { ["content"] = content.Substring(i, Math.Min(2, content.Length - i)) }, null);
        await Send(new JsonObject(), toolCalls ? "tool_calls" : "stop");
        await http.Response.WriteAsync("data: [DONE]\n\n");
    }

    public static JsonObject Text(string content) => new() { ["role"] = "assistant", ["content"] = content };

    public static JsonObject ToolCall(string name, object arguments) => new()
    {
        ["role"] = "assistant",
        ["content"] = null,
        ["tool_calls"] = new JsonArray(new JsonObject
        {
            ["id"] = "call_1",
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name, ["arguments"] = JsonSerializer.Serialize(arguments) },
        }),
    };

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);
}
