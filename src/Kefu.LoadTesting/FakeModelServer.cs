using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kefu.LoadTesting;

/// <summary>
/// An OpenAI-compatible model server on loopback (what vLLM or llama.cpp's server is to Kefu) that answers every chat
/// completion with a polite generic reply after a realistic delay — time to first token, then a delay per token,
/// streamed as server-sent events when asked — or misbehaves as <see cref="Fault"/> says. Real Kestrel and real
/// HTTP, so the client's timeouts, parsing and connection handling are what is exercised.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    // Generic, number-free customer-service prose: the output guard checks generated numbers against the facts.
    private const string Reply =
        "亲，感谢您的耐心等待。关于您咨询的问题，我们已经为您查阅了店铺的相关说明，请您参考以上信息办理；如果还有其他疑问，欢迎随时联系我们，祝您购物愉快。";

    private readonly WebApplication _app;
    private FakeModelOptions _options;
    private int _fault;
    private int _requests;

    private FakeModelServer(WebApplication app, FakeModelOptions options)
    {
        _app = app;
        _options = options;
    }

    /// <summary>The OpenAI API root (ends in <c>/v1</c>), for <c>--backend</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Chat completion requests received so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>The latency profile; may be changed while the server runs.</summary>
    public FakeModelOptions Options
    {
        get => Volatile.Read(ref _options);
        set => Volatile.Write(ref _options, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>How chat completions misbehave from now on.</summary>
    public FakeModelFault Fault
    {
        get => (FakeModelFault)Volatile.Read(ref _fault);
        set => Volatile.Write(ref _fault, (int)value);
    }

    /// <summary>Starts the server on 127.0.0.1 (<paramref name="port"/> 0: a free port).</summary>
    public static async Task<FakeModelServer> StartAsync(FakeModelOptions? options = null, int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeModelServer(app, options ?? new FakeModelOptions());
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = new[] { new { id = server.Options.Model, @object = "model", owned_by = "kefu-load-testing" } },
        }));
        app.MapPost("/v1/chat/completions", server.CompleteAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Address = new Uri(address.TrimEnd('/') + "/v1");
        return server;
    }

    private async Task CompleteAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requests);
        var aborted = http.RequestAborted;
        bool stream;
        int? maxTokens;
        try
        {
            using var request = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: aborted).ConfigureAwait(false);
            var root = request.RootElement;
            stream = root.TryGetProperty("stream", out var flag) && flag.ValueKind == JsonValueKind.True;
            // A short answer asked for (the intent classifier wants one word) is decoded as briefly as a real model would.
            maxTokens = root.TryGetProperty("max_completion_tokens", out var max) || root.TryGetProperty("max_tokens", out max)
                ? max.ValueKind == JsonValueKind.Number && max.TryGetInt32(out var limit) && limit > 0 ? limit : null
                : null;
        }
        catch (JsonException)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var options = Options;
        try
        {
            switch (Fault)
            {
                case FakeModelFault.ServerError:
                    http.Response.StatusCode = StatusCodes.Status500InternalServerError;
                    await http.Response.WriteAsJsonAsync(new { error = new { message = "CUDA out of memory", type = "server_error" } }, aborted).ConfigureAwait(false);
                    return;
                case FakeModelFault.InvalidJson:
                    http.Response.ContentType = stream ? "text/event-stream" : "application/json";
                    await http.Response.WriteAsync(stream ? "data: {\"choices\": [{\"delta\": {\"content\": \"亲\n\n" : "{\"choices\": [{\"message\": <html>", aborted).ConfigureAwait(false);
                    return;
                case FakeModelFault.Hang:
                    await Task.Delay(Timeout.InfiniteTimeSpan, aborted).ConfigureAwait(false);
                    return;
            }
            await Task.Delay(options.TimeToFirstToken, aborted).ConfigureAwait(false);
            var tokens = Tokens(Math.Min(options.ReplyTokens, maxTokens ?? int.MaxValue));
            if (stream)
                await StreamAsync(http, options, tokens, truncate: Fault == FakeModelFault.TruncatedStream, aborted).ConfigureAwait(false);
            else
                await AnswerWholeAsync(http, options, tokens, aborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up (its timeout): nothing more to send.
        }
    }

    private async Task AnswerWholeAsync(HttpContext http, FakeModelOptions options, List<string> tokens, CancellationToken aborted)
    {
        // Decoding happens before a non-streamed answer leaves.
        await Task.Delay(options.TokenDelay * tokens.Count, aborted).ConfigureAwait(false);
        if (Fault == FakeModelFault.TruncatedStream)
        {
            // The non-streamed analogue: headers and half a body, then the connection drops.
            http.Response.ContentType = "application/json";
            await http.Response.WriteAsync("{\"id\":\"chatcmpl-fake\",\"choices\":[{\"message\":{\"content\":\"亲，", aborted).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
            http.Abort();
            return;
        }
        var body = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion",
            ["created"] = Created(),
            ["model"] = options.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = string.Concat(tokens) },
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 100, ["completion_tokens"] = tokens.Count, ["total_tokens"] = 100 + tokens.Count },
        };
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), aborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext http, FakeModelOptions options, List<string> tokens, bool truncate, CancellationToken aborted)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        await SendAsync(http, options.Model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null, aborted).ConfigureAwait(false);
        for (var i = 0; i < tokens.Count; i++)
        {
            if (i > 0)
                await Task.Delay(options.TokenDelay, aborted).ConfigureAwait(false);
            await SendAsync(http, options.Model, new JsonObject { ["content"] = tokens[i] }, null, aborted).ConfigureAwait(false);
            if (truncate && i == Math.Min(3, tokens.Count - 1))
            {
                // Mid-sentence, no finish chunk, no [DONE]: the inference server died.
                http.Abort();
                return;
            }
        }
        await SendAsync(http, options.Model, new JsonObject(), "stop", aborted).ConfigureAwait(false);
        await http.Response.WriteAsync("data: [DONE]\n\n", aborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpContext http, string model, JsonObject delta, string? finishReason, CancellationToken aborted)
    {
        var chunk = new JsonObject
        {
            ["id"] = "chatcmpl-fake",
            ["object"] = "chat.completion.chunk",
            ["created"] = Created(),
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
        };
        await http.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n", aborted).ConfigureAwait(false);
        await http.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    /// <summary>The whole reply a request gets with <paramref name="tokens"/> reply tokens.</summary>
    public static string ReplyText(int tokens) => string.Concat(Tokens(tokens));

    /// <summary>The reply cut into <paramref name="count"/> tokens of one or two characters, the text repeated as needed.</summary>
    internal static List<string> Tokens(int count)
    {
        var tokens = new List<string>(count);
        var position = 0;
        var builder = new StringBuilder();
        while (tokens.Count < count)
        {
            builder.Clear();
            var length = tokens.Count % 3 == 0 ? 1 : 2;
            for (var i = 0; i < length; i++)
            {
                builder.Append(Reply[position]);
                position = (position + 1) % Reply.Length;
            }
            tokens.Add(builder.ToString());
        }
        return tokens;
    }

    private static long Created() => TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
