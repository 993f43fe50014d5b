using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kefu.Service.Tests.Embeddings;

/// <summary>
/// A fake OpenAI-compatible embeddings server on Kestrel (127.0.0.1, a free port): <c>GET /v1/models</c> and
/// <c>POST /v1/embeddings</c> (float or base64 encoding, as the OpenAI SDK asks), vectors from
/// <see cref="BigramBagEmbedder"/>. Counts the texts it embedded, so tests can tell reuse from recomputation.
/// </summary>
internal sealed class FakeEmbeddingServer : IAsyncDisposable
{
    public const string ModelName = "fake-bigram-bag";
    private readonly WebApplication _app;
    private int _texts;
    private int _requests;

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Texts embedded so far.</summary>
    public int Texts => Volatile.Read(ref _texts);

    /// <summary>Embedding requests so far.</summary>
    public int Requests => Volatile.Read(ref _requests);

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeEmbeddingServer(app);
        app.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = ModelName, @object = "model" } } }));
        app.MapPost("/v1/embeddings", server.EmbedAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        server.BaseAddress = new Uri(app.Urls.First() + "/v1/");
        return server;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task<IResult> EmbedAsync(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body);
        var input = body?["input"];
        var texts = input switch
        {
            JsonArray array => array.Select(t => t!.GetValue<string>()).ToList(),
            JsonValue value => [value.GetValue<string>()],
            _ => null,
        };
        if (texts is null)
            return Results.Problem("input must be a string or an array of strings", statusCode: (int)HttpStatusCode.BadRequest);
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _texts, texts.Count);
        var base64 = body?["encoding_format"]?.GetValue<string>() == "base64";
        var data = texts.Select((text, i) =>
        {
            var vector = BigramBagEmbedder.Embed(text);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray([.. vector.Select(v => JsonValue.Create(v))]);
            return new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding };
        });
        var reply = new JsonObject
        {
            ["object"] = "list",
            ["data"] = new JsonArray([.. data]),
            ["model"] = ModelName,
            ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["total_tokens"] = 0 },
        };
        return Results.Text(reply.ToJsonString(JsonSerializerOptions.Default), "application/json");
    }
}
