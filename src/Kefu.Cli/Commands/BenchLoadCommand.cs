using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kefu.LoadTesting;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu bench load --sessions 50 --turns 4 [--mode retrieval|model] [--target URL --api-key KEY]</c>: concurrent
/// multi-turn conversations over loopback HTTP against the demo server it starts (retrieval-only, or in front of a
/// fake OpenAI-compatible model with a chosen time to first token and per-token delay) or against a running server;
/// prints throughput and p50/p95/p99, checks the conversation log for lost or duplicated turns, and draws the latency
/// histogram.
/// </summary>
internal static class BenchLoadCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var sessions = new Option<int>("--sessions") { Description = "Concurrent conversations", DefaultValueFactory = _ => 50 };
        var turns = new Option<int>("--turns") { Description = "Customer messages per conversation", DefaultValueFactory = _ => 4 };
        var mode = new Option<string>("--mode")
        {
            Description = "retrieval (no model) or model (a fake OpenAI-compatible model with --ttft-ms/--token-ms latency); ignored with --target",
            DefaultValueFactory = _ => "retrieval",
        };
        var stream = new Option<bool>("--stream") { Description = "Send turns after the first as streamed /v1/chat/completions (measures time to first token)" };
        var ttft = new Option<int>("--ttft-ms") { Description = "Fake model: time to first token", DefaultValueFactory = _ => 300 };
        var tokenMs = new Option<int>("--token-ms") { Description = "Fake model: delay per token", DefaultValueFactory = _ => 30 };
        var replyTokens = new Option<int>("--reply-tokens") { Description = "Fake model: tokens per reply", DefaultValueFactory = _ => 60 };
        var target = KbCommands.UrlOption("--target", "A running Kefu server to load instead of starting the demo (its rate limit applies)");
        var apiKey = new Option<string?>("--api-key") { Description = "With --target: the customers' API key" };
        var agentKey = new Option<string?>("--agent-key") { Description = "With --target: an agent key, to read the conversations back (default --api-key)" };
        var timeout = new Option<int>("--timeout-s") { Description = "Seconds one turn may take", DefaultValueFactory = _ => 60 };
        var deadline = new Option<int>("--deadline-s") { Description = "Seconds the whole run may take (turns not started by then are not sent)", DefaultValueFactory = _ => 300 };
        var png = new Option<string>("--png") { Description = "Latency histogram image", DefaultValueFactory = _ => "kefu-load.png" };
        var json = new Option<string?>("--json") { Description = "Also write the figures to this JSON file" };
        var samples = new Option<string?>("--samples") { Description = "Demo data folder (default: samples/ecommerce)" };
        var command = new Command("load", "Load-test the service: concurrent multi-turn sessions, p50/p95/p99, no lost or duplicated turn")
        {
            sessions, turns, mode, stream, ttft, tokenMs, replyTokens, target, apiKey, agentKey, timeout, deadline, png, json, samples,
        };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var console = CliConsole.For(parseResult);
            var modelMode = parseResult.GetRequiredValue(mode) switch
            {
                "retrieval" => false,
                "model" => true,
                var other => (bool?)null,
            };
            if (modelMode is null)
            {
                console.Error($"--mode must be retrieval or model, got \"{parseResult.GetValue(mode)}\".");
                return 2;
            }
            if (parseResult.GetValue(sessions) < 1 || parseResult.GetValue(turns) < 1 || parseResult.GetValue(timeout) < 1 || parseResult.GetValue(deadline) < 1
                || parseResult.GetValue(ttft) < 0 || parseResult.GetValue(tokenMs) < 0 || parseResult.GetValue(replyTokens) < 1)
            {
                console.Error("--sessions, --turns, --timeout-s, --deadline-s and --reply-tokens must be at least 1; --ttft-ms and --token-ms not negative.");
                return 2;
            }
            var targetUrl = parseResult.GetValue(target);
            if (targetUrl is not null && string.IsNullOrEmpty(parseResult.GetValue(apiKey)))
            {
                console.Error("--target needs --api-key.");
                return 2;
            }

            await using var demo = targetUrl is null
                ? await DemoTarget.StartAsync(modelMode.Value ? new FakeModelOptions
                {
                    TimeToFirstToken = TimeSpan.FromMilliseconds(parseResult.GetValue(ttft)),
                    TokenDelay = TimeSpan.FromMilliseconds(parseResult.GetValue(tokenMs)),
                    ReplyTokens = parseResult.GetValue(replyTokens),
                } : null, parseResult.GetValue(samples), cancellationToken).ConfigureAwait(false)
                : null;
            if (targetUrl is null && demo is null)
            {
                console.Error("no samples/ecommerce folder found (give --samples DIR).");
                return 2;
            }
            var options = new LoadOptions
            {
                Target = targetUrl ?? demo!.Address,
                ApiKey = parseResult.GetValue(apiKey) ?? demo!.CustomerKey,
                AgentApiKey = parseResult.GetValue(agentKey) ?? demo?.AgentKey,
                Sessions = parseResult.GetValue(sessions),
                TurnsPerSession = parseResult.GetValue(turns),
                Stream = parseResult.GetValue(stream),
                RequestTimeout = TimeSpan.FromSeconds(parseResult.GetValue(timeout)),
                Deadline = TimeSpan.FromSeconds(parseResult.GetValue(deadline)),
            };
            var what = targetUrl is not null ? targetUrl.ToString()
                : modelMode.Value ? $"the demo in front of a fake model (TTFT {parseResult.GetValue(ttft)} ms, {parseResult.GetValue(replyTokens)} tokens × {parseResult.GetValue(tokenMs)} ms)"
                : "the demo, retrieval-only";
            console.MarkupLine($"Loading {Markup.Escape(what)} with {options.Sessions} sessions × {options.TurnsPerSession} turns{(options.Stream ? " (streamed)" : "")} …");
            var report = await LoadRunner.RunAsync(options, cancellationToken).ConfigureAwait(false);

            Print(console, report, demo?.ModelRequests);
            var image = parseResult.GetRequiredValue(png);
            LatencyHistogram.SavePng(report, image);
            console.MarkupLine($"Latency histogram: [bold]{Markup.Escape(image)}[/]");
            if (parseResult.GetValue(json) is { } jsonPath)
            {
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(Figures(report, what), Indented), cancellationToken).ConfigureAwait(false);
                console.MarkupLine($"Figures: [bold]{Markup.Escape(jsonPath)}[/]");
            }
            foreach (var problem in report.Log.Problems.Take(20))
                console.MarkupLine($"[red]log:[/] {Markup.Escape(problem)}");
            foreach (var failure in report.Turns.Where(t => !t.Served).Take(10))
                console.MarkupLine($"[red]failed:[/] session {failure.Session} turn {failure.Turn}: {Markup.Escape(failure.Error ?? "")}");
            return report.Failed == 0 && report.Log.Consistent ? 0 : 1;
        });
        return command;
    }

    private static void Print(IAnsiConsole console, LoadReport report, int? modelRequests)
    {
        string Ms(double value) => double.IsNaN(value) ? "-" : value.ToString("F0", CultureInfo.InvariantCulture) + " ms";
        var table = new Table().AddColumn("Measure").AddColumn(new TableColumn("Value").RightAligned());
        table.AddRow("turns served / sent", $"{report.Served} / {report.Turns.Count}{(report.NotSent > 0 ? $" ({report.NotSent} not sent: deadline)" : "")}");
        table.AddRow("wall time", report.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture) + " s");
        table.AddRow("throughput", report.TurnsPerSecond.ToString("F1", CultureInfo.InvariantCulture) + " turns/s");
        table.AddRow("latency p50 / p95 / p99", $"{Ms(report.LatencyPercentile(50))} / {Ms(report.LatencyPercentile(95))} / {Ms(report.LatencyPercentile(99))}");
        table.AddRow("latency max", Ms(report.Latencies.DefaultIfEmpty(double.NaN).Max()));
        if (report.FirstTokenLatencies.Count > 0)
            table.AddRow("first token p50 / p95 / p99", $"{Ms(report.FirstTokenPercentile(50))} / {Ms(report.FirstTokenPercentile(95))} / {Ms(report.FirstTokenPercentile(99))}");
        if (modelRequests is { } calls)
            table.AddRow("fake model requests", calls.ToString(CultureInfo.InvariantCulture));
        table.AddRow("hand-offs", report.Turns.Count(t => t.Handoff).ToString(CultureInfo.InvariantCulture));
        table.AddRow("failed turns", report.Failed.ToString(CultureInfo.InvariantCulture));
        table.AddRow("log: sessions / customer messages / turn entries", $"{report.Log.Sessions} / {report.Log.MessagesStored} / {report.Log.LogEntries}");
        table.AddRow("log: lost / duplicated", $"{report.Log.Lost} / {report.Log.Duplicated}");
        console.Write(table);
    }

    private static object Figures(LoadReport report, string target) => new
    {
        target,
        sessions = report.Options.Sessions,
        turns_per_session = report.Options.TurnsPerSession,
        streamed = report.Options.Stream,
        served = report.Served,
        failed = report.Failed,
        not_sent = report.NotSent,
        seconds = report.Elapsed.TotalSeconds,
        turns_per_second = report.TurnsPerSecond,
        latency_ms = new { p50 = report.LatencyPercentile(50), p95 = report.LatencyPercentile(95), p99 = report.LatencyPercentile(99) },
        first_token_ms = report.FirstTokenLatencies.Count == 0 ? null : new { p50 = report.FirstTokenPercentile(50), p95 = report.FirstTokenPercentile(95), p99 = report.FirstTokenPercentile(99) },
        // Turn 1 creates the conversation and is never streamed; later turns carry history (and stream with --stream).
        by_turn = Enumerable.Range(0, report.Options.TurnsPerSession).Select(t =>
        {
            var latencies = report.Turns.Where(x => x.Turn == t && x.Served).Select(x => x.LatencyMilliseconds).ToList();
            return new { turn = t + 1, p50 = Percentiles.NearestRank(latencies, 50), p95 = Percentiles.NearestRank(latencies, 95), max = latencies.DefaultIfEmpty(double.NaN).Max() };
        }).ToList(),
        by_question = report.Turns.Where(x => x.Served).GroupBy(x => x.Message, StringComparer.Ordinal).Select(g =>
        {
            var latencies = g.Select(x => x.LatencyMilliseconds).ToList();
            return new { question = g.Key, turns = latencies.Count, p50 = Percentiles.NearestRank(latencies, 50), p95 = Percentiles.NearestRank(latencies, 95) };
        }).ToList(),
        log = new { report.Log.Sessions, messages = report.Log.MessagesStored, entries = report.Log.LogEntries, lost = report.Log.Lost, duplicated = report.Log.Duplicated },
        cores = Environment.ProcessorCount,
    };

    /// <summary>The demo server (and fake model) a load run starts on loopback when no --target is given.</summary>
    private sealed class DemoTarget : IAsyncDisposable
    {
        private readonly string _data;
        private readonly DemoShopHost _shop;
        private readonly WebApplication _app;
        private readonly FakeModelServer? _model;

        private DemoTarget(string data, DemoShopHost shop, WebApplication app, FakeModelServer? model, Uri address, string customerKey, string agentKey)
        {
            _data = data;
            _shop = shop;
            _app = app;
            _model = model;
            Address = address;
            CustomerKey = customerKey;
            AgentKey = agentKey;
        }

        public Uri Address { get; }

        public string CustomerKey { get; }

        public string AgentKey { get; }

        /// <summary>Chat completions the fake model answered (null without one).</summary>
        public int? ModelRequests => _model?.Requests;

        public static async Task<DemoTarget?> StartAsync(FakeModelOptions? model, string? samplesOption, CancellationToken cancellationToken)
        {
            if (DemoSetup.FindSamples(samplesOption) is not { } samples)
                return null;
            var data = Path.Combine(Path.GetTempPath(), "kefu-load-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(data);
            var fake = model is null ? null : await FakeModelServer.StartAsync(model, cancellationToken: cancellationToken).ConfigureAwait(false);
            var shop = await DemoSetup.StartShopAsync(samples, data, cancellationToken).ConfigureAwait(false);
            var customerKey = Kefu.Server.Security.ApiKeyHash.NewKey();
            var agentKey = Kefu.Server.Security.ApiKeyHash.NewKey();
            var options = new KefuServerOptions
            {
                Urls = ["http://127.0.0.1:0"],
                DataDirectory = data,
                ApiKeys = [new ApiKey("load-customers", customerKey, Agent: false), new ApiKey("load-checker", agentKey, Agent: true)],
                // The load is the point: the per-key limit would turn it into 429s.
                RequestsPerMinutePerKey = 10_000_000,
                BackendUrl = fake?.Address,
                BackendModel = fake is null ? null : "fake-qwen2",
            };
            DemoSetup.Apply(options, samples, shop);
            var app = await KefuServer.BuildAsync(options, builder => builder.Logging.SetMinimumLevel(LogLevel.Error), cancellationToken).ConfigureAwait(false);
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new DemoTarget(data, shop, app, fake, new Uri(app.Urls.First().TrimEnd('/') + "/"), customerKey, agentKey);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync().ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
            await _shop.DisposeAsync().ConfigureAwait(false);
            if (_model is not null)
                await _model.DisposeAsync().ConfigureAwait(false);
            try
            {
                Directory.Delete(_data, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
