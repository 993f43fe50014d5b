using System.Net.ServerSentEvents;
using System.Text;
using System.Text.Json;

namespace Kefu.Browser.Tests.Support;

internal static class Json
{
    public static StringContent Body(object value) => new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    public static async Task<JsonElement> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsync(path, Body(body), TestContext.Current.CancellationToken);
        return await ReadAsync(response);
    }

    /// <summary>Sends a customer message on the public channel and returns the stream's events (type, data).</summary>
    public static async Task<List<(string Type, JsonElement Data)>> CustomerChatAsync(HttpClient http, string? sessionId, string message)
    {
        using var response = await http.PostAsync("api/customer/chat", Body(new { session_id = sessionId, message }), TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)}");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        var events = new List<(string, JsonElement)>();
        var stream = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestContext.Current.CancellationToken))
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        return events;
    }

    /// <summary>The <c>done</c> event of a customer turn.</summary>
    public static JsonElement Done(List<(string Type, JsonElement Data)> events) => events.Single(e => e.Type == "done").Data;
}
