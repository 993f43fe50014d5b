using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kefu.Cli.Tests.Service;

/// <summary>
/// A fake OpenAI-compatible <c>/v1/embeddings</c> server on Kestrel for the CLI tests: vectors are a hashed bag of
/// characters (NOT a real model), so texts sharing characters are close. Counts the texts it embedded.
/// </summary>
internal sealed class CharacterBagEmbeddingServer : IAsyncDisposable
{
    private const int Dimensions = 128;
    private readonly WebApplication _app;
    private int _texts;

    private CharacterBagEmbeddingServer(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";

    public int Texts => Volatile.Read(ref _texts);

    public static async Task<CharacterBagEmbeddingServer> StartAsync()
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var server = new CharacterBagEmbeddingServer(app);
        app.MapPost("/v1/embeddings", async (HttpRequest request) =>
        {
            var body = await JsonNode.ParseAsync(request.Body);
            List<string> texts = body!["input"] is JsonArray array ? [.. array.Select(t => t!.GetValue<string>())] : [body["input"]!.GetValue<string>()];
            Interlocked.Add(ref server._texts, texts.Count);
            var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
            var data = new JsonArray();
            for (var i = 0; i < texts.Count; i++)
            {
                var vector = Embed(texts[i]);
                JsonNode embedding = base64
                    ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                    : new JsonArray([.. vector.Select(v => JsonValue.Create(v))]);
                data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
            }
            var reply = new JsonObject { ["object"] = "list", ["data"] = data, ["model"] = "char-bag", ["usage"] = new JsonObject { ["prompt_tokens"] = 0, ["total_tokens"] = 0 } };
            return Results.Text(reply.ToJsonString(), "application/json");
        });
        server.Url = new Uri(await LoopbackApp.StartAsync(app, TestContext.Current.CancellationToken), "v1").ToString();
        return server;
    }

    public ValueTask DisposeAsync() => LoopbackApp.StopAsync(_app);

    private static float[] Embed(string text)
    {
        var vector = new float[Dimensions];
        foreach (var rune in text.EnumerateRunes().Where(Rune.IsLetterOrDigit))
            vector[(int)((uint)rune.Value * 2654435761u % Dimensions)] += 1;
        return vector;
    }
}
