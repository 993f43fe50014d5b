using System.Diagnostics.Metrics;
using Kefu.Server.Hosting;
using Kefu.Service.Responding;
using Microsoft.Extensions.AI;

namespace Kefu.Server.Resilience;

/// <summary>Puts each model backend behind <see cref="ResilientChatClient"/> with its own circuit, and its metrics on /metrics.</summary>
internal static class ModelResilience
{
    public static ChatBackends Apply(IServiceCollection services, KefuServerOptions options, ChatBackends backends)
    {
        // Models handed over directly are in-process ones (or a test's): unless timeouts were chosen, a CPU's pace is allowed.
        var resilience = options.Backends is not null && options.ModelResilience == new ModelResilienceOptions()
            ? ModelResilienceOptions.InProcess
            : options.ModelResilience;
        var breakers = new List<ModelCircuitBreaker>();
        IChatClient? Wrap(string name, IChatClient? client)
        {
            if (client is null)
                return null;
            var breaker = new ModelCircuitBreaker(name, resilience, TimeProvider.System);
            breakers.Add(breaker);
            return new ResilientChatClient(client, breaker, resilience);
        }
        var wrapped = backends with { Primary = Wrap("primary", backends.Primary), Escalation = Wrap("escalation", backends.Escalation) };
        var circuits = new ModelCircuits(breakers);
        services.AddSingleton(circuits);
        // A hosted service only so that the instruments exist from start-up, before anything asks for them.
        services.AddHostedService(sp => new ModelCircuitMetrics(sp.GetRequiredService<IMeterFactory>(), options.MeterName, circuits));
        return wrapped;
    }
}
