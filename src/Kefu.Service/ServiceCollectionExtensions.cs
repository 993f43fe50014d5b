using Kefu.Safety.Escalation;
using Kefu.Safety.Guards;
using Kefu.Safety.Words;
using Kefu.Service.Diagnostics;
using Kefu.Service.Guarding;
using Kefu.Service.Dialogue;
using Kefu.Service.Embeddings;
using Kefu.Service.Knowledge;
using Kefu.Service.Responding;
using Kefu.Service.Routing;
using Kefu.Service.Tools;
using Kefu.Service.Tools.Shop;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;

namespace Kefu.Service;

/// <summary>Registers the customer-service brain in a host's services.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Adds the brain with its embedded stores under <see cref="KefuServiceOptions.DataDirectory"/>. Model backends
    /// are taken from a registered <see cref="ChatBackends"/> (retrieval-only when none is), the token counter from a
    /// registered <see cref="ITokenCounter"/> (an estimate when none is). Shop tools are offered when
    /// <paramref name="configureShop"/> sets a base address.
    /// </summary>
    public static IServiceCollection AddKefuService(
        this IServiceCollection services, Action<KefuServiceOptions> configure, Action<ShopApiOptions>? configureShop = null)
    {
        services.AddOptions<KefuServiceOptions>().Configure(configure).ValidateDataAnnotations().ValidateOnStart();
        services.AddMetrics();
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ITokenCounter, EstimatingTokenCounter>();
        services.TryAddSingleton(ChatBackends.RetrievalOnly);

        // Dense retrieval joins BM25 when the host registered a DenseRetrieval (an embeddings server).
        services.TryAddSingleton(sp => new DenseRetrievalMetrics(sp.GetRequiredService<IMeterFactory>(), ServiceMetrics.MeterName));
        services.AddSingleton<IKnowledgeBase>(sp =>
            SqliteKnowledgeBase.Open(
                Path.Combine(sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value.DataDirectory, "knowledge.db"), sp.GetRequiredService<TimeProvider>(),
                sp.GetService<DenseRetrieval>(), sp.GetRequiredService<DenseRetrievalMetrics>(), sp.GetRequiredService<ILoggerFactory>().CreateLogger<SqliteKnowledgeBase>()));
        services.AddSingleton<ISessionStore>(sp => SqliteSessionStore.Open(
            Path.Combine(sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value.DataDirectory, "sessions.db"),
            sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<KnowledgeImporter>();
        services.AddSingleton<ServiceMetrics>();
        services.AddSingleton<SessionLocks>();
        services.AddSingleton(sp => new ReplyTemplates(sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value));
        services.AddSingleton(sp =>
        {
            var service = sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value;
            return new SlotExtractor(service.ProductNames, service.OrderIdPattern);
        });
        AddGuardrails(services);
        services.AddSingleton(sp =>
        {
            // The shop's own tool descriptions and argument formats, when it has a tools file, over the built-in ones.
            IReadOnlyList<ITool> tools = [.. sp.GetServices<ITool>()];
            if (sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value.ToolDefinitionsPath is { } toolsFile)
                tools = ShopDescribedTool.Apply(tools, toolsFile);
            return new ToolRegistry(tools, sp.GetRequiredService<ServiceMetrics>(), sp.GetRequiredService<ILogger<ToolRegistry>>());
        });
        services.AddSingleton<TurnRouter>();
        services.AddSingleton(sp => new OrderDesk(sp.GetRequiredService<ToolRegistry>(), sp.GetRequiredService<SlotExtractor>(), sp.GetRequiredService<ReplyTemplates>(), sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value));
        services.AddSingleton<RetrievalResponder>();
        services.AddSingleton<ModelResponder>();
        services.AddSingleton<DialogueManager>();
        services.AddSingleton<ConversationLimitHandoff>();
        services.AddSingleton<AgentDesk>();

        var shop = new ShopApiOptions();
        configureShop?.Invoke(shop);
        if (shop.BaseAddress is not null)
            AddShopTools(services, configureShop!);
        return services;
    }

    private static void AddGuardrails(IServiceCollection services)
    {
        services.TryAddSingleton<IWordMatcherSource>(sp =>
        {
            var guardrails = sp.GetRequiredService<IOptions<KefuServiceOptions>>().Value.Guardrails;
            return guardrails.LexiconPath is { Length: > 0 } path
                ? new LexiconReloader(path, guardrails.LexiconPollInterval, sp.GetRequiredService<TimeProvider>())
                : SensitiveWordMatcher.Build(new LexiconBuilder().Build());
        });
        services.TryAddSingleton<IInputGuard>(sp => new InputGuard(sp.GetRequiredService<IWordMatcherSource>()));
        services.TryAddSingleton<IOutputGuard>(sp => new OutputGuard(sp.GetRequiredService<IWordMatcherSource>()));
        services.TryAddSingleton(new ComplexityScorer());
        services.AddSingleton<Guardrails>();
    }

    private static void AddShopTools(IServiceCollection services, Action<ShopApiOptions> configureShop)
    {
        services.AddOptions<ShopApiOptions>().Configure(configureShop).ValidateDataAnnotations().ValidateOnStart();
        services.AddHttpClient<ShopApiClient>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<IOptions<ShopApiOptions>>().Value.BaseAddress;
                // The resilience pipeline owns timeouts; HttpClient's own would cut across its retries.
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            // The tools are singletons holding this client, so connections are recycled by the handler instead of
            // by the factory's handler rotation.
            .UseSocketsHttpHandler((handler, _) => handler.PooledConnectionLifetime = TimeSpan.FromMinutes(2))
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddResilienceHandler("shop-api", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IOptions<ShopApiOptions>>().Value;
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.MaxRetries > 0)
                {
                    var retry = new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.MaxRetries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = TimeSpan.FromMilliseconds(100),
                    };
                    // A refund or address change that timed out may still have happened: never repeat it blindly.
                    retry.DisableForUnsafeHttpMethods();
                    pipeline.AddRetry(retry);
                }
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    FailureRatio = 0.5,
                    MinimumThroughput = options.MinimumThroughput,
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    BreakDuration = options.BreakDuration,
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            });
        services.AddSingleton<ITool>(sp => new QueryOrderTool(sp.GetRequiredService<ShopApiClient>()));
        services.AddSingleton<ITool>(sp => new TrackLogisticsTool(sp.GetRequiredService<ShopApiClient>()));
        services.AddSingleton<ITool>(sp => new RequestRefundTool(sp.GetRequiredService<ShopApiClient>()));
        services.AddSingleton<ITool>(sp => new ChangeAddressTool(sp.GetRequiredService<ShopApiClient>()));
    }
}
