using Kefu.Server.Api.Ui;
using Kefu.Service.Dialogue;
using Kefu.Testing;

namespace Kefu.Browser.Tests;

/// <summary>The desk store on SQLite: ratings, and the conversation log the session store writes in the same file.</summary>
public sealed class SqliteDeskStoreTests : DeskStoreContract, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly List<IDisposable> _opened = [];

    private protected override (IDeskStore Desk, ISessionStore Sessions) Open()
    {
        var sessions = SqliteSessionStore.Open(_temp.File("sessions.db"), TimeProvider.System);
        _opened.Add(sessions);
        return (SqliteDeskStore.Open(_temp.File("sessions.db")), sessions);
    }

    private protected override IDeskStore OpenWithoutConversationLog() => SqliteDeskStore.Open(_temp.File("desk-only.db"));

    public void Dispose()
    {
        foreach (var opened in _opened)
            opened.Dispose();
        _temp.Dispose();
    }
}
