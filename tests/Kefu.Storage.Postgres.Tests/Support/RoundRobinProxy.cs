using Kefu.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// A small loopback HTTP forwarder in front of several replicas, as a load balancer without sticky sessions: each
/// request goes to the next replica in turn, and the response says which one answered (<see cref="ReplicaHeader"/>).
/// </summary>
internal sealed class RoundRobinProxy : IAsyncDisposable
{
    public const string ReplicaHeader = "X-Kefu-Replica";
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host",
    };

    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    private readonly Uri[] _replicas;
    private int _next = -1;

    private RoundRobinProxy(WebApplication app, Uri[] replicas)
    {
        _app = app;
        _replicas = replicas;
    }

    public Uri Address { get; private set; } = null!;

    public static async Task<RoundRobinProxy> StartAsync(IReadOnlyList<Uri> replicas, CancellationToken cancellationToken)
    {
        var app = LoopbackApp.CreateBuilder().Build();
        var proxy = new RoundRobinProxy(app, [.. replicas]);
        app.Run(proxy.ForwardAsync);
        proxy.Address = await LoopbackApp.StartAsync(app, cancellationToken);
        return proxy;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var index = (int)((uint)Interlocked.Increment(ref _next) % (uint)_replicas.Length);
        var target = new Uri(_replicas[index], context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        if (context.Request.ContentLength > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            request.Content = new StreamContent(context.Request.Body);
        foreach (var (name, values) in context.Request.Headers)
        {
            if (HopByHop.Contains(name))
                continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
        }
        using var response = await _upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (!HopByHop.Contains(name))
                context.Response.Headers[name] = values.ToArray();
        }
        context.Response.Headers[ReplicaHeader] = ((char)('A' + index)).ToString();
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await LoopbackApp.StopAsync(_app);
        _upstream.Dispose();
    }
}
