using System.Net;
using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Kefu.Browser.Tests.Support;

/// <summary>An open customer live stream read with the runtime's SSE parser, each wait bounded so a missing event fails the test.</summary>
internal sealed class CustomerEvents : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _timeout;
    private readonly IAsyncEnumerator<SseItem<string>> _events;

    private CustomerEvents(HttpResponseMessage response, CancellationTokenSource timeout, IAsyncEnumerator<SseItem<string>> events)
    {
        _response = response;
        _timeout = timeout;
        _events = events;
    }

    public static async Task<CustomerEvents> OpenAsync(HttpClient http, string sessionId, int? after, string? lastEventId = null)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/customer/sessions/{sessionId}/events{(after is { } a ? $"?after={a}" : "")}");
        if (lastEventId is not null)
            request.Headers.Add("Last-Event-ID", lastEventId);
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await ErrorTextAsync(response));
        response.Content.Headers.ContentType?.MediaType.ShouldBe("text/event-stream");
        var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        return new CustomerEvents(response, timeout, SseParser.Create(stream).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token));
    }

    /// <summary>The next event (of <paramref name="type"/>, skipping others; pings are skipped unless asked for).</summary>
    public async Task<(string Type, string? EventId, JsonElement Data)> NextAsync(string? type = null)
    {
        while (await MoveNextAsync())
        {
            var item = _events.Current;
            if ((type is null && item.EventType != "ping") || item.EventType == type)
                return (item.EventType, item.EventId, JsonDocument.Parse(item.Data).RootElement.Clone());
        }
        throw new InvalidOperationException($"The customer stream ended before a {type ?? "non-ping"} event.");
    }

    /// <summary>Whether the server ends the stream (after any pings) within the wait.</summary>
    public async Task<bool> EndsAsync()
    {
        while (await MoveNextAsync())
        {
            if (_events.Current.EventType != "ping")
                return false;
        }
        return true;
    }

    private async Task<bool> MoveNextAsync()
    {
        var next = _events.MoveNextAsync().AsTask();
        if (await Task.WhenAny(next, Task.Delay(Wait, TestContext.Current.CancellationToken)) != next)
            throw new TimeoutException($"No customer stream event within {Wait.TotalSeconds:0} s.");
        return await next;
    }

    private static async Task<string> ErrorTextAsync(HttpResponseMessage response) =>
        response.IsSuccessStatusCode ? "" : await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _timeout.CancelAsync();
        try
        {
            await _events.DisposeAsync();
        }
        catch (OperationCanceledException)
        {
            // Cancelled on purpose: the test is done with the stream.
        }
        _response.Dispose();
        _timeout.Dispose();
    }
}
