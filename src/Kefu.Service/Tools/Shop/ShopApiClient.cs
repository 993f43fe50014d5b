using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Kefu.Service.Tools.Shop;

/// <summary>
/// The order and logistics API over HTTP. Timeouts, retries and the circuit breaker live in the HttpClient's
/// resilience pipeline (see <see cref="ServiceCollectionExtensions"/>); this class maps the API's answers onto tool
/// outcomes: 404 is "no such order", 409 a business refusal carrying the API's explanation, and network faults,
/// timeouts, 5xx and an open circuit are "unavailable".
/// </summary>
public sealed class ShopApiClient(HttpClient http)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public Task<ToolResult> GetOrderAsync(string orderId, CancellationToken cancellationToken) =>
        SendAsync<OrderInfo>(() => new HttpRequestMessage(HttpMethod.Get, $"api/orders/{Uri.EscapeDataString(orderId)}"), cancellationToken);

    public Task<ToolResult> GetTrackingAsync(string orderId, CancellationToken cancellationToken) =>
        SendAsync<TrackingInfo>(() => new HttpRequestMessage(HttpMethod.Get, $"api/orders/{Uri.EscapeDataString(orderId)}/tracking"), cancellationToken);

    public Task<ToolResult> RequestRefundAsync(string orderId, string reason, string refundType, CancellationToken cancellationToken) =>
        SendAsync<RefundReceipt>(() => new HttpRequestMessage(HttpMethod.Post, $"api/orders/{Uri.EscapeDataString(orderId)}/refunds")
        {
            Content = JsonContent.Create(new { reason, refund_type = refundType }),
        }, cancellationToken);

    public Task<ToolResult> ChangeAddressAsync(string orderId, string newAddress, CancellationToken cancellationToken) =>
        SendAsync<AddressChangeReceipt>(() => new HttpRequestMessage(HttpMethod.Put, $"api/orders/{Uri.EscapeDataString(orderId)}/address")
        {
            Content = JsonContent.Create(new { new_address = newAddress }),
        }, cancellationToken);

    private async Task<ToolResult> SendAsync<T>(Func<HttpRequestMessage> request, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var message = request();
            using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                var data = await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken).ConfigureAwait(false);
                return data is null
                    ? ToolResult.Failure(ToolOutcome.Unavailable, "the order system sent an empty reply")
                    : ToolResult.Success(data);
            }
            var detail = await ReadProblemDetailAsync(response, cancellationToken).ConfigureAwait(false);
            return response.StatusCode switch
            {
                HttpStatusCode.NotFound => ToolResult.Failure(ToolOutcome.NotFound, detail ?? "not found"),
                HttpStatusCode.Conflict or HttpStatusCode.UnprocessableEntity => ToolResult.Failure(ToolOutcome.Refused, detail ?? "refused"),
                HttpStatusCode.BadRequest => ToolResult.Failure(ToolOutcome.InvalidArguments, detail ?? "bad request"),
                _ => ToolResult.Failure(ToolOutcome.Unavailable, $"the order system answered {(int)response.StatusCode}"),
            };
        }
        catch (BrokenCircuitException)
        {
            return ToolResult.Failure(ToolOutcome.Unavailable, "the order system is failing; calls are paused (circuit open)");
        }
        catch (TimeoutRejectedException)
        {
            return ToolResult.Failure(ToolOutcome.Unavailable, "the order system did not answer in time");
        }
        catch (HttpRequestException e)
        {
            return ToolResult.Failure(ToolOutcome.Unavailable, $"the order system cannot be reached ({e.HttpRequestError})");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ToolResult.Failure(ToolOutcome.Unavailable, "the order system did not answer in time");
        }
        catch (JsonException e)
        {
            return ToolResult.Failure(ToolOutcome.Unavailable, $"the order system sent malformed JSON ({e.Message})");
        }
    }

    private static async Task<string?> ReadProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            return problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String
                ? detail.GetString()
                : null;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
