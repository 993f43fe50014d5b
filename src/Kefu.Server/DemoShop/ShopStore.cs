using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace Kefu.Server.DemoShop;

/// <summary>
/// The demo shop's order database: SQLite, one JSON document per order (the orders.json format, extra fields
/// kept), reseeded from the seed file at start so every demo begins from the same state.
/// </summary>
internal sealed class ShopStore
{
    private readonly string _connectionString;
    private readonly Lock _writeLock = new();

    private ShopStore(string connectionString) => _connectionString = connectionString;

    /// <summary>Opens the database and replaces its orders with those of <paramref name="seedFile"/>.</summary>
    public static ShopStore OpenAndSeed(string databasePath, string seedFile)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        var orders = ReadSeed(seedFile);
        var store = new ShopStore(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = true }.ToString());
        using var connection = store.Open();
        // The journal mode is a property of the file and SQLite refuses to change it inside a transaction — which
        // is what broke every restart on an existing shop.db.
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            wal.ExecuteNonQuery();
        }
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, """
            CREATE TABLE IF NOT EXISTS orders (order_id TEXT PRIMARY KEY, document TEXT NOT NULL);
            DELETE FROM orders;
            """);
        foreach (var order in orders)
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO orders (order_id, document) VALUES ($id, $document)";
            insert.Parameters.AddWithValue("$id", order["order_id"]!.GetValue<string>());
            insert.Parameters.AddWithValue("$document", order.ToJsonString());
            insert.ExecuteNonQuery();
        }
        transaction.Commit();
        return store;
    }

    public JsonObject? Find(string orderId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT document FROM orders WHERE order_id = $id";
        command.Parameters.AddWithValue("$id", orderId);
        return command.ExecuteScalar() is string document ? JsonNode.Parse(document)!.AsObject() : null;
    }

    /// <summary>
    /// Reads an order, lets <paramref name="change"/> modify it (or refuse, returning its result without saving
    /// by leaving <c>save</c> false), and writes it back, one change at a time so two refunds cannot both pass.
    /// </summary>
    public T Update<T>(string orderId, Func<JsonObject?, (T Result, bool Save)> change)
    {
        lock (_writeLock)
        {
            var order = Find(orderId);
            var (result, save) = change(order);
            if (save && order is not null)
                Save(order);
            return result;
        }
    }

    private void Save(JsonObject order)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE orders SET document = $document WHERE order_id = $id";
        command.Parameters.AddWithValue("$id", order["order_id"]!.GetValue<string>());
        command.Parameters.AddWithValue("$document", order.ToJsonString());
        command.ExecuteNonQuery();
    }

    /// <summary>The distinct product names of all orders (the demo's catalog).</summary>
    public List<string> ProductNames()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT json_extract(item.value, '$.name') FROM orders, json_each(orders.document, '$.items') AS item ORDER BY 1";
        using var reader = command.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            if (!reader.IsDBNull(0))
                names.Add(reader.GetString(0));
        }
        return names;
    }

    private static List<JsonObject> ReadSeed(string seedFile)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(seedFile));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{seedFile}:{e.LineNumber + 1}: invalid JSON: {e.Message}", e);
        }
        if (root?["orders"] is not JsonArray orders)
            throw new InvalidDataException($"{seedFile}:1: orders: missing (expected {{\"orders\": [...]}})");
        var result = new List<JsonObject>();
        for (var i = 0; i < orders.Count; i++)
        {
            if (orders[i] is not JsonObject order || order["order_id"]?.GetValueKind() != JsonValueKind.String)
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"{seedFile}: orders[{i}].order_id: missing or not a string"));
            result.Add((JsonObject)order.DeepClone());
        }
        return result;
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
