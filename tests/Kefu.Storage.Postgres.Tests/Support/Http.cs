using System.Net.Http.Json;
using System.Text.Json;

namespace Kefu.Storage.Postgres.Tests.Support;

internal static class Http
{
    /// <summary>POSTs JSON; returns the response's JSON and the replica that answered (the proxy's header; null when direct).</summary>
    public static async Task<(JsonElement Body, string? Replica)> PostAsync(HttpClient http, string path, object body)
    {
        using var response = await http.PostAsJsonAsync(path, body, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {text}");
        return (JsonDocument.Parse(text).RootElement.Clone(), Replica(response));
    }

    public static async Task<JsonElement> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        response.IsSuccessStatusCode.ShouldBeTrue($"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static string? Replica(HttpResponseMessage response) =>
        response.Headers.TryGetValues(RoundRobinProxy.ReplicaHeader, out var values) ? values.First() : null;
}
