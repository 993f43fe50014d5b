using Kefu.Service.Dialogue;
using Kefu.Service.Knowledge;
using Kefu.Service.Responding;
using Kefu.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Service.Tests.Support;

/// <summary>The brain wired as a host wires it (AddKefuService), on real SQLite in a temp folder, with fake tools.</summary>
internal sealed class ServiceHarness(ServiceProvider services, FakeOrderSystem orders, TempDirectory temp) : IAsyncDisposable
{
    public FakeOrderSystem Orders => orders;

    public DialogueManager Dialogue => services.GetRequiredService<DialogueManager>();

    public AgentDesk Agents => services.GetRequiredService<AgentDesk>();

    public ConversationLimitHandoff TurnLimit => services.GetRequiredService<ConversationLimitHandoff>();

    public static async Task<ServiceHarness> CreateAsync(IChatClient? model = null, Action<KefuServiceOptions>? configure = null)
    {
        var orders = new FakeOrderSystem();
        var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("faq.csv"), TestKnowledge.Faq, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(temp.File("warranty.md"), TestKnowledge.Policy, TestContext.Current.CancellationToken);
        var services = new ServiceCollection();
        if (model is not null)
            services.AddSingleton(new ChatBackends(model, "fake-model", null));
        foreach (var tool in orders.Tools)
            services.AddSingleton<Kefu.Service.Tools.ITool>(tool);
        services.AddKefuService(o =>
        {
            o.DataDirectory = temp.Path;
            o.ShopName = "青禾优选";
            o.HumanServiceHours = "每天9:00–22:00";
            o.ProductNames = ["青禾可视空气炸锅 5L"];
            configure?.Invoke(o);
        });
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<KnowledgeImporter>()
            .ImportAsync([temp.File("faq.csv"), temp.File("warranty.md")], TestContext.Current.CancellationToken);
        return new ServiceHarness(provider, orders, temp);
    }

    public Task<TurnResult> SayAsync(string? sessionId, string message) =>
        Dialogue.HandleAsync(sessionId, message, TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        temp.Dispose();
    }
}
