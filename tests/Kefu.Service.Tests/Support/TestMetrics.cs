using Kefu.Service.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kefu.Service.Tests.Support;

internal static class TestMetrics
{
    public static ServiceMetrics Create() =>
        new(new ServiceCollection().AddMetrics().BuildServiceProvider().GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
}
