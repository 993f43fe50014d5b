using Microsoft.Data.Sqlite;

namespace Kefu.Service;

/// <summary>How the SQLite stores (sessions, knowledge base, agent desk) open their database file.</summary>
public static class SqliteDatabaseFile
{
    /// <summary>
    /// The connection string for the file at <paramref name="databasePath"/>, its folder created: the file is created
    /// when absent, connections are pooled, and a busy database is waited on for up to 30 s rather than failing at once.
    /// </summary>
    public static string ConnectionString(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
