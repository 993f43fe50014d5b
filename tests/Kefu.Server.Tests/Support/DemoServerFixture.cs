namespace Kefu.Server.Tests.Support;

/// <summary>One demo server shared by the tests of a class (each test starts its own sessions).</summary>
public sealed class DemoServerFixture : IAsyncLifetime
{
    private RunningServer? _server;

    internal RunningServer Server => _server ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync() => _server = await RunningServer.StartDemoAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
            await _server.DisposeAsync();
    }
}
