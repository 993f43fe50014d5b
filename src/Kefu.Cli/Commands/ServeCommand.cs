using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using Kefu.Cli.Commands.Model;
using Kefu.Model.Runtime;
using Kefu.Server.DemoShop;
using Kefu.Server.Hosting;
using Kefu.Service.Dialogue;
using Kefu.Service.Embeddings;
using Kefu.Service.Responding;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kefu.Cli.Commands;

/// <summary>
/// <c>kefu serve [--demo] [--urls URL] [--model DIR | --backend URL] [--embeddings URL] [--data-dir DIR]</c>: runs the customer-service
/// server. With <c>--demo</c> it also starts the demo shop's order API and loads samples/ecommerce, so one command
/// on a fresh machine, with no model weights, gives a working assistant.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var demo = new Option<bool>("--demo") { Description = "Start the demo shop 青禾优选 (order API + samples/ecommerce knowledge)" };
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on, ';'-separated", DefaultValueFactory = _ => "http://127.0.0.1:5180" };
        var dataDir = new Option<string?>("--data-dir") { Description = $"Folder for knowledge.db and sessions.db (default {DefaultDataDirectory()}, demo: its 'demo' subfolder)" };
        var apiKeys = new Option<string[]>("--api-key") { Description = "Accepted API key (repeatable; default: $KEFU_API_KEY, or one generated for this run on loopback)" };
        var backend = KbCommands.UrlOption("--backend", "OpenAI-compatible server to answer with (vLLM, llama.cpp, Ollama), e.g. http://127.0.0.1:8000/v1");
        var backendModel = new Option<string?>("--backend-model") { Description = "Model name at --backend (default: its first model)" };
        var backendKey = new Option<string?>("--backend-key") { Description = "API key of --backend" };
        var escalation = KbCommands.UrlOption("--escalation-backend", "Larger OpenAI-compatible model for turns after an unanswered one");
        var model = new Option<string?>("--model") { Description = "Qwen2 model folder to run in-process (instead of --backend)" };
        var adapter = new Option<string?>("--adapter")
        {
            Description = "LoRA adapter merged into --model; a kefu learn adapters folder (with registry.json) serves its current version",
        };
        var dtype = ModelCliOptions.DType();
        var device = ModelCliOptions.Device();
        var knowledge = new Option<string[]>("--knowledge") { Description = "Knowledge files or folders to import at start (repeatable)" };
        var shop = KbCommands.UrlOption("--shop", "Base address of the order/logistics API the tools call");
        var samples = new Option<string?>("--samples") { Description = "Demo data folder (default: samples/ecommerce)" };
        var lexicon = new Option<string?>("--lexicon")
        {
            Description = "Sensitive-word lexicon manifest (lexicon.json), reloaded when its files change (demo default: samples/ecommerce/safety/lexicon.json)",
        };
        var embeddings = KbCommands.EmbeddingsUrl();
        var embeddingsModel = KbCommands.EmbeddingsModel();
        var embeddingsUnrelated = KbCommands.EmbeddingsUnrelated();
        var embeddingsEquivalent = KbCommands.EmbeddingsEquivalent();
        var database = new Option<string?>("--database")
        {
            Description = "PostgreSQL connection string for sessions, the conversation log, the agent queue and knowledge, shared by replicas "
                + "(default: $KEFU_DATABASE, else SQLite files in --data-dir)",
        };
        var rate = new Option<int>("--rate-limit") { Description = "Requests per minute per API key", DefaultValueFactory = _ => 120 };
        var maxTurns = new Option<int>("--max-turns") { Description = "Most messages a customer may send in one conversation", DefaultValueFactory = _ => 200 };
        maxTurns.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
                result.AddError("--max-turns must be at least 1.");
        });
        var learnConfig = new Option<string?>("--learn-config") { Description = "Run the daily learning loop inside the server with this learn.json (kefu learn)" };
        var keysFile = new Option<string?>("--keys-file") { Description = "API keys file from 'kefu keys add' (SHA-256 digests only); its active keys are accepted" };
        var corsOrigins = new Option<string[]>("--cors-origin") { Description = "Web origin whose pages may call the API, e.g. https://shop.example.com (repeatable)" };
        var agents = new Option<string?>("--agents")
        {
            Description = "Agent console accounts: JSON [{name, display_name, password_hash, admin}] (hashes from 'kefu agents hash-password'; demo: a demo account)",
        };
        var command = new Command("serve", "Run the customer-service server: POST /chat, OpenAI-compatible /v1, /healthz, /readyz, /metrics")
        {
            demo, urls, dataDir, apiKeys, backend, backendModel, backendKey, escalation, model, adapter, dtype, device, knowledge, shop, samples, rate, lexicon, agents,
            embeddings, embeddingsModel, embeddingsUnrelated, embeddingsEquivalent, database, learnConfig,
        };
        command.Options.Add(keysFile);
        command.Options.Add(corsOrigins);
        command.Options.Add(maxTurns);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var listen = parseResult.GetRequiredValue(urls).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
            var isDemo = parseResult.GetValue(demo);
            var dataDirectory = parseResult.GetValue(dataDir) ?? (isDemo ? Path.Combine(DefaultDataDirectory(), "demo") : DefaultDataDirectory());
            var keys = parseResult.GetValue(apiKeys) is { Length: > 0 } given ? given.ToList()
                : Environment.GetEnvironmentVariable("KEFU_API_KEY") is { Length: > 0 } fromEnvironment ? [fromEnvironment] : [];
            string? generatedKey = null;
            if (keys.Count == 0 && parseResult.GetValue(keysFile) is null)
            {
                if (!listen.All(IsLoopback))
                {
                    await error.WriteLineAsync("kefu: error: listening beyond loopback needs --api-key (or KEFU_API_KEY).").ConfigureAwait(false);
                    return 2;
                }
                generatedKey = "kf-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                keys.Add(generatedKey);
            }
            var options = new KefuServerOptions
            {
                Urls = listen,
                DataDirectory = dataDirectory,
                ApiKeys = [.. keys.Select((k, i) => new ApiKey(keys.Count == 1 ? "default" : $"key{i + 1}", k, Agent: true))],
                BackendUrl = parseResult.GetValue(backend),
                BackendModel = parseResult.GetValue(backendModel),
                BackendApiKey = parseResult.GetValue(backendKey),
                EscalationBackendUrl = parseResult.GetValue(escalation),
                KnowledgePaths = [.. parseResult.GetValue(knowledge) ?? []],
                RequestsPerMinutePerKey = parseResult.GetValue(rate),
                MaxCustomerTurns = parseResult.GetValue(maxTurns),
                DatabaseConnectionString = parseResult.GetValue(database) is { Length: > 0 } databaseGiven ? databaseGiven
                    : Environment.GetEnvironmentVariable("KEFU_DATABASE") is { Length: > 0 } databaseFromEnvironment ? databaseFromEnvironment : null,
            };
            if (KbCommands.Calibration(parseResult, embeddingsUnrelated, embeddingsEquivalent) is not { } calibration)
            {
                await error.WriteLineAsync($"kefu: error: {KbCommands.CalibrationError}").ConfigureAwait(false);
                return 2;
            }
            options.EmbeddingsUrl = parseResult.GetValue(embeddings);
            options.EmbeddingsModel = parseResult.GetValue(embeddingsModel);
            options.EmbeddingsCalibration = calibration;
            if (parseResult.GetValue(lexicon) is { } lexiconPath)
            {
                if (!File.Exists(lexiconPath))
                {
                    await error.WriteLineAsync($"kefu: error: lexicon manifest {lexiconPath} not found.").ConfigureAwait(false);
                    return 2;
                }
                var fullPath = Path.GetFullPath(lexiconPath);
                options.ConfigureService = service => service.Guardrails.LexiconPath = fullPath;
            }
            if (parseResult.GetValue(shop) is { } shopAddress)
                options.ConfigureShop = s => s.BaseAddress = shopAddress;
            options.ApiKeysFile = parseResult.GetValue(keysFile);
            options.CorsOrigins = [.. parseResult.GetValue(corsOrigins) ?? []];
            string? demoAgentPassword = null;

            DemoShopHost? demoShop = null;
            LocalModel? local = null;
            try
            {
                if (isDemo)
                {
                    var samplesDirectory = DemoSetup.FindSamples(parseResult.GetValue(samples));
                    if (samplesDirectory is null)
                    {
                        await error.WriteLineAsync("kefu: error: no samples/ecommerce folder found (give --samples DIR).").ConfigureAwait(false);
                        return 2;
                    }
                    demoShop = await DemoSetup.StartShopAsync(samplesDirectory, dataDirectory, cancellationToken).ConfigureAwait(false);
                    DemoSetup.Apply(options, samplesDirectory, demoShop);
                    if (parseResult.GetValue(agents) is null)
                        demoAgentPassword = DemoSetup.AddDemoAgent(options);
                }
                if (parseResult.GetValue(agents) is { } agentsFile)
                {
                    if (!File.Exists(agentsFile))
                    {
                        await error.WriteLineAsync($"kefu: error: agents file {agentsFile} not found.").ConfigureAwait(false);
                        return 2;
                    }
                    options.AgentAccounts.AddRange(Kefu.Server.Auth.AgentAccountsFile.Load(agentsFile));
                }
                if (parseResult.GetValue(model) is { } modelDirectory)
                {
                    await output.WriteLineAsync($"Loading {modelDirectory} …").ConfigureAwait(false);
                    var type = ModelCliOptions.ParseScalarType(parseResult.GetRequiredValue(dtype));
                    var target = TorchDevice.Parse(parseResult.GetRequiredValue(device));
                    local = await Task.Run(() => LocalModel.Load(modelDirectory, type, target), cancellationToken).ConfigureAwait(false);
                    var client = local.CreateChatClient();
                    options.Backends = new ChatBackends(client, Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(modelDirectory))), null);
                    options.TokenCounter = new DelegateTokenCounter(local.Tokenizer.CountTokens);
                    if (parseResult.GetValue(adapter) is { } adapterPath)
                    {
                        // Merged once at start (as kefu chat --adapter): serving costs nothing per token over the base model.
                        var serving = Kefu.Learning.Promotion.AdapterRegistry.ServingPath(adapterPath);
                        using var lora = Kefu.Model.Lora.LoraAdapter.Load(local.Model, serving);
                        lora.Merge();
                        lora.Detach();
                        await output.WriteLineAsync($"Adapter {serving} merged.").ConfigureAwait(false);
                    }
                }

                if (parseResult.GetValue(learnConfig) is { } learnPath)
                    Kefu.Learning.Hosting.LearningHosting.Configure(options, Kefu.Learning.LearningConfig.Load(learnPath));
                await using var app = await KefuServer.BuildAsync(options, cancellationToken: cancellationToken).ConfigureAwait(false);
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await PrintBannerAsync(output, app, options, demoShop, generatedKey, demoAgentPassword).ConfigureAwait(false);
                await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or InvalidDataException or ArgumentException or Kefu.Model.Lora.LoraFormatException)
            {
                await error.WriteLineAsync($"kefu: error: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            catch (System.Data.Common.DbException e)
            {
                await error.WriteLineAsync($"kefu: error: the database (--database) cannot be used: {e.Message}").ConfigureAwait(false);
                return 1;
            }
            finally
            {
                if (demoShop is not null)
                    await demoShop.DisposeAsync().ConfigureAwait(false);
                local?.Dispose();
            }
        });
        return command;
    }

    /// <summary>$KEFU_DATA_DIR, else the user's local application data folder (~/.local/share/kefu on Linux).</summary>
    internal static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("KEFU_DATA_DIR") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "kefu");

    private static bool IsLoopback(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.IsLoopback || (IPAddress.TryParse(uri.Host, out var address) && IPAddress.IsLoopback(address)));

    private static async Task PrintBannerAsync(
        TextWriter output, WebApplication app, KefuServerOptions options, DemoShopHost? shop, string? generatedKey, string? demoAgentPassword)
    {
        var root = app.Urls.First().TrimEnd('/');
        var backends = app.Services.GetRequiredService<ChatBackends>();
        var mode = backends.Primary is null ? "retrieval-only (no model: answers from the knowledge base)" : $"model {backends.PrimaryName}";
        var dense = app.Services.GetService<DenseRetrieval>();
        var search = dense is null ? "BM25" : $"hybrid: BM25 + embeddings {dense.Source.ModelId} (RRF)";
        // Keys from a keys file are known only by their digests.
        var key = generatedKey ?? (options.ApiKeys[0].Key is { Length: > 0 } given ? given : "YOUR_KEY");
        await output.WriteLineAsync($"""
            Kefu is serving {(shop is null ? "" : DemoSetup.ShopName + ", ")}{mode}
              Customer chat {root}/   (embed on a shop page: <script src="{root}/widget.js"></script>; example {root}/demo-shop.html)
              Agent console {root}/agent
              Dashboard     {root}/dashboard
              Chat API      POST {root}/chat
              OpenAI API    {root}/v1  (POST /v1/chat/completions, GET /v1/models)
              Health        {root}/healthz  {root}/readyz
              Metrics       {root}/metrics
              Knowledge     {search}
            """).ConfigureAwait(false);
        if (shop is not null)
            await output.WriteLineAsync($"  Demo shop API {shop.BaseAddress}api/orders/ORD12345").ConfigureAwait(false);
        if (demoAgentPassword is not null)
            await output.WriteLineAsync($"  Agent sign-in {DemoSetup.DemoAgentName} / {demoAgentPassword}  (admin; made up for this run)").ConfigureAwait(false);
        else if (options.AgentAccounts.Count == 0)
            await output.WriteLineAsync("  Agent sign-in no accounts (give --agents FILE)").ConfigureAwait(false);
        var note = generatedKey is null ? "" : "  (generated for this run; set one with --api-key)";
        await output.WriteLineAsync($$"""
              API key       {{key}}{{note}}
              Data          {{options.DataDirectory}}

            Try:
              curl -s {{root}}/chat -H "Authorization: Bearer {{key}}" -H "Content-Type: application/json" -d '{"message":"退货运费谁出？"}'
            Press Ctrl+C to stop.
            """).ConfigureAwait(false);
    }
}
