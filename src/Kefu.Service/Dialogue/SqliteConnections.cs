using Microsoft.Data.Sqlite;

namespace Kefu.Service.Dialogue;

/// <summary>Opens the service's SQLite connections with the settings every one of them needs.</summary>
internal static class SqliteConnections
{
    public static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        // busy_timeout: SQLite itself waits for another process's writer (kefu kb import beside a running server)
        // with fine-grained retries. synchronous=NORMAL: in WAL mode a commit cannot corrupt the database; only the
        // last transactions before a power cut could be lost, and each turn saves far faster.
        command.CommandText = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";
        command.ExecuteNonQuery();
        return connection;
    }
}
