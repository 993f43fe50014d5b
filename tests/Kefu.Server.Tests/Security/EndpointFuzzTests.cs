using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Kefu.Server.Tests.Support;
using Kefu.Testing;
using Microsoft.AspNetCore.Routing;

namespace Kefu.Server.Tests.Security;

/// <summary>
/// Bounded, seeded fuzzing of every endpoint the server maps — enumerated from its endpoint data sources, so an
/// endpoint added later is fuzzed without touching this test — with malformed requests. No answer may be a 5xx, and
/// no body may carry a stack trace or an exception's type name.
/// </summary>
public sealed partial class EndpointFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261124;
    private const int CasesPerEndpointMethod = 90;

    // Paths served outside the endpoint table (static files, 404s) get malformed requests too.
    private static readonly string[] ExtraPaths = ["/", "/index.html", "/does-not-exist", "/js/..%2F..%2Fappsettings.json", "/%2e%2e/%2e%2e/etc/passwd"];

    [Fact]
    public async Task EveryEndpoint_MalformedInput_NeverAnswers5xxOrLeaksExceptionDetails()
    {
        using var lexicon = CopyOfTheDemoLexicon();
        await using var server = await RunningServer.StartDemoAsync(o =>
        {
            // The public channel's per-address limit would answer most of its cases with 429 before they reach the code.
            o.CustomerMessagesPerMinute = 1_000_000;
            // The dashboard can add listed words: it must write to a copy, never to samples/ in the repository.
            var configure = o.ConfigureService;
            o.ConfigureService = service =>
            {
                configure?.Invoke(service);
                service.Guardrails.LexiconPath = Path.Combine(lexicon.Path, "lexicon.json");
            };
        });
        var endpoints = ((IEndpointRouteBuilder)server.App).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        endpoints.Count.ShouldBeGreaterThan(10);
        var random = new Random(Seed);
        var generator = new FuzzCaseGenerator(random, [RunningServer.Key, RunningServer.Key, RunningServer.Key, RunningServer.CustomerKey, null, "kf_not-a-key"]);
        var cases = new List<FuzzCase>();
        foreach (var endpoint in endpoints.OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal))
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            foreach (var method in methods)
            {
                for (var i = 0; i < CasesPerEndpointMethod; i++)
                    cases.Add(generator.Next(endpoint, method));
            }
        }
        foreach (var path in ExtraPaths)
        {
            var endpoint = new RouteEndpoint(_ => Task.CompletedTask, Microsoft.AspNetCore.Routing.Patterns.RoutePatternFactory.Parse(path), 0, null, path);
            for (var i = 0; i < 20; i++)
                cases.Add(generator.Next(endpoint, i % 2 == 0 ? "GET" : "POST"));
        }

        var failures = new ConcurrentQueue<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        var started = Stopwatch.GetTimestamp();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 16, UseCookies = false };
        using var http = new HttpClient(handler) { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken },
            async (fuzz, ct) =>
            {
                var (status, problem) = await SendAsync(http, fuzz, ct);
                statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
                if (problem is not null)
                    failures.Enqueue($"{fuzz} -> {status}: {problem}");
            });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var byStatus = string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cases.Count} malformed requests over {endpoints.Count} endpoints (+{ExtraPaths.Length} paths) in {seconds:F1} s; statuses: {byStatus}"));
        foreach (var kind in cases.GroupBy(c => c.Kind).OrderBy(g => g.Key, StringComparer.Ordinal))
            output.WriteLine($"  {kind.Key}: {kind.Count()}");
        failures.Count.ShouldBe(0, string.Join("\n", failures.Take(25)));
        seconds.ShouldBeLessThan(60);
    }

    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient http, FuzzCase fuzz, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path.TrimStart('/'));
        // One connection per case: each case is judged alone. (On kept-alive connections a few requests fail with
        // "response ended prematurely": Kestrel closes a connection after answering a request whose body it would not
        // read, and the client had already picked it for the next request — a client-side race, not a server answer.)
        request.Headers.ConnectionClose = true;
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null)
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
        }
        if (fuzz.ApiKey is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", fuzz.ApiKey);
        foreach (var (name, value) in fuzz.Headers)
            request.Headers.TryAddWithoutValidation(name, value);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (0, "no response headers within 10 s");
        }
        catch (HttpRequestException e)
        {
            return (0, "connection failed: " + e.Message + " / " + e.InnerException?.Message);
        }
        using (response)
        {
            var status = (int)response.StatusCode;
            var body = await ReadSomeAsync(response, timeout.Token);
            if (status >= 500)
                return (status, "server error: " + Shorten(body));
            // /metrics names the runtime's own meters (System.Net.Http, Microsoft.AspNetCore...) and error types by design.
            if (!fuzz.Path.StartsWith("/metrics", StringComparison.Ordinal) && Leak().Match(body) is { Success: true } leak)
                return (status, $"body leaks \"{leak.Value}\": " + Shorten(body));
            return (status, null);
        }
    }

    /// <summary>The body, or its first 256 KB; an event stream that keeps going (the agent queue feed) is read for a moment.</summary>
    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var isStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
        using var window = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (isStream)
            window.CancelAfter(TimeSpan.FromSeconds(3));
        var buffer = new MemoryStream();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(window.Token);
            var chunk = new byte[16 * 1024];
            int read;
            while (buffer.Length < 256 * 1024 && (read = await stream.ReadAsync(chunk, window.Token)) > 0)
                buffer.Write(chunk, 0, read);
        }
        catch (OperationCanceledException) when (isStream && !cancellationToken.IsCancellationRequested)
        {
            // A live feed: what arrived so far is what is checked.
        }
        catch (HttpRequestException)
        {
            // The server may drop a connection after answering an oversized request; the status already says why.
        }
        catch (IOException)
        {
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Shorten(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private static TempDirectory CopyOfTheDemoLexicon()
    {
        var source = Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce", "safety");
        var copy = new TempDirectory();
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(copy.Path, Path.GetFileName(file)));
        return copy;
    }

    // A stack frame ("   at Kefu.X.Method("), an exception type name, or a framework namespace in a body.
    [GeneratedRegex(@"\bat [\w.`<>]+\(|\b\w*Exception\b|\bSystem\.[A-Z]\w+\.|\bMicrosoft\.[A-Z]\w+\.")]
    private static partial Regex Leak();
}
