using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Service.Tests.Dialogue;

/// <summary>The session-store contract on SQLite: each store instance opens the same file, as another process would.</summary>
public sealed class SqliteSessionStoreTests : SessionStoreContract, IDisposable
{
    private readonly TempDirectory _temp = new();

    protected override ISessionStore OpenStore(int loadedMessages = 60) =>
        SqliteSessionStore.Open(_temp.File("sessions.db"), TimeProvider.System, loadedMessages);

    public void Dispose() => _temp.Dispose();
}
