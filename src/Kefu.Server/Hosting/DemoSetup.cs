using System.Text.Json;
using Kefu.Server.DemoShop;

namespace Kefu.Server.Hosting;

/// <summary>
/// The demo enterprise (samples/ecommerce, the shop 青禾优选): where its files are, its order API, and the
/// server settings that load its knowledge and speak as its assistant.
/// </summary>
public static class DemoSetup
{
    /// <summary>The demo shop's name, assistant and service hours (samples/ecommerce/README.md).</summary>
    public const string ShopName = "青禾优选";
    public const string AssistantName = "智能客服小禾";
    public const string HumanServiceHours = "每天9:00–22:00";

    /// <summary>
    /// The samples/ecommerce folder: <paramref name="explicitDirectory"/> when given, else the copy beside the
    /// binaries, else the nearest one above the current directory; null when none exists.
    /// </summary>
    public static string? FindSamples(string? explicitDirectory = null)
    {
        if (explicitDirectory is not null)
            return File.Exists(Path.Combine(explicitDirectory, "orders.json")) ? Path.GetFullPath(explicitDirectory) : null;
        var beside = Path.Combine(AppContext.BaseDirectory, "samples", "ecommerce");
        if (File.Exists(Path.Combine(beside, "orders.json")))
            return beside;
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "samples", "ecommerce");
            if (File.Exists(Path.Combine(candidate, "orders.json")))
                return candidate;
        }
        return null;
    }

    /// <summary>Starts the demo shop's order API on a free loopback port, its database under <paramref name="dataDirectory"/>.</summary>
    public static Task<DemoShopHost> StartShopAsync(string samples, string dataDirectory, CancellationToken cancellationToken, int port = 0) =>
        DemoShopHost.StartAsync(new DemoShopOptions
        {
            SeedFile = Path.Combine(samples, "orders.json"),
            DatabasePath = Path.Combine(dataDirectory, "shop.db"),
            Port = port,
        }, cancellationToken);

    /// <summary>Points the server at the demo: its knowledge files, its shop API and catalog, its assistant's voice.</summary>
    public static void Apply(KefuServerOptions options, string samples, DemoShopHost shop)
    {
        options.KnowledgePaths.Add(Path.Combine(samples, "knowledge"));
        if (options.QuickReplies.Count == 0)
            options.QuickReplies.AddRange(["退货运费谁出？", "几点前下单当天发货？", "怎么开发票？", "会员有什么优惠？"]);
        var faq = Path.Combine(samples, "data", "faq.csv");
        if (File.Exists(faq))
            options.KnowledgePaths.Add(faq);
        var configureShop = options.ConfigureShop;
        options.ConfigureShop = shopApi =>
        {
            shopApi.BaseAddress = shop.BaseAddress;
            configureShop?.Invoke(shopApi);
        };
        var configureService = options.ConfigureService;
        var systemPrompt = TrainingSystemPrompt(samples);
        var lexicon = Path.Combine(samples, "safety", "lexicon.json");
        var policies = ShopPolicies.Load(Path.Combine(samples, "shop.json"));
        options.ConfigureService = service =>
        {
            // The demo's word lists, unless the caller names others (configureService runs after this).
            if (File.Exists(lexicon))
                service.Guardrails.LexiconPath = lexicon;
            service.ShopName = ShopName;
            service.AssistantName = AssistantName;
            service.HumanServiceHours = HumanServiceHours;
            service.SystemPrompt = systemPrompt;
            service.ProductNames = [.. shop.ProductNames];
            var tools = Path.Combine(samples, "tools.json");
            if (File.Exists(tools))
                service.ToolDefinitionsPath = tools;
            if (policies is not null)
            {
                service.OrderIdHint = policies.OrderIdHint;
                service.OrderIdPattern = policies.OrderIdPattern;
                foreach (var (status, note) in policies.OrderStatusNotes)
                    service.OrderStatusNotes[status] = note;
            }
            configureService?.Invoke(service);
        };
    }

    /// <summary>The demo's agent console account: an admin, so the demo shows the dashboard too.</summary>
    public const string DemoAgentName = "demo";

    /// <summary>
    /// Adds the demo agent account with a password made up for this run, and returns the password (kefu serve --demo
    /// prints it). Only the hash is kept.
    /// </summary>
    public static string AddDemoAgent(KefuServerOptions options)
    {
        var password = "qh-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));
        options.AgentAccounts.Add(new Auth.AgentAccount(DemoAgentName, "客服小青", Auth.AgentPasswords.Hash(password), Admin: true));
        return password;
    }

    /// <summary>
    /// The system prompt the demo's training dialogues use (first system message of
    /// data/dialogues.messages.jsonl): a model fine-tuned on them answers best when served with the same prompt.
    /// </summary>
    internal static string? TrainingSystemPrompt(string samples)
    {
        var path = Path.Combine(samples, "data", "dialogues.messages.jsonl");
        if (!File.Exists(path))
            return null;
        using var reader = new StreamReader(path);
        var firstLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(firstLine))
            return null;
        try
        {
            using var record = JsonDocument.Parse(firstLine);
            return record.RootElement.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array
                ? messages.EnumerateArray()
                    .Where(m => m.TryGetProperty("role", out var role) && role.GetString() == "system")
                    .Select(m => m.GetProperty("content").GetString())
                    .FirstOrDefault()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
