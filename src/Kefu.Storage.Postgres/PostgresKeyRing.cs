using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The replicas' shared key ring: the XML documents of ASP.NET Core's data-protection keys, which sign the agents'
/// sign-in cookies. Kept in the database, a cookie issued by one replica is valid on every other (no sticky sessions).
/// The keys are stored as ASP.NET Core writes them (unencrypted XML): whoever can read the database can forge a
/// sign-in, as whoever can write it could anyway.
/// </summary>
public sealed class PostgresKeyRing(PostgresDatabase database)
{
    /// <summary>Every stored key document, oldest first. Synchronous: ASP.NET Core's key repository interface is.</summary>
    public IReadOnlyList<string> ReadAll()
    {
        using var connection = database.DataSource.OpenConnection();
        using var command = new NpgsqlCommand("SELECT xml FROM key_ring ORDER BY created_at, name", connection);
        using var reader = command.ExecuteReader();
        var documents = new List<string>();
        while (reader.Read())
            documents.Add(reader.GetString(0));
        return documents;
    }

    /// <summary>Stores a new key document under its name (a key is never changed once written; a repeat is ignored).</summary>
    public void Store(string name, string xml)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using var connection = database.DataSource.OpenConnection();
        using var command = new NpgsqlCommand("INSERT INTO key_ring (name, xml) VALUES (@name, @xml) ON CONFLICT (name) DO NOTHING", connection);
        command.Parameters.AddWithValue("name", name);
        command.Parameters.AddWithValue("xml", xml);
        command.ExecuteNonQuery();
    }
}
