using Kefu.Service.Knowledge;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Loads the chunk vectors of one knowledge-base generation from PostgreSQL into the same exact in-process
/// <see cref="DenseIndex"/> the SQLite store searches. Each replica loads it and reloads when the shared generation
/// changes (an import on any replica).
/// </summary>
internal static class PostgresVectorIndex
{
    /// <summary>Loads every vector of <paramref name="model"/> of its most common length (others are from a misconfiguration).</summary>
    public static async Task<DenseIndex> LoadAsync(NpgsqlConnection connection, long generation, string model, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT chunk_id, vector FROM kb_vectors
            WHERE model = @model AND dimensions = (
                SELECT dimensions FROM kb_vectors WHERE model = @model GROUP BY dimensions ORDER BY count(*) DESC, dimensions LIMIT 1)
            ORDER BY chunk_id
            """, connection);
        command.Parameters.AddWithValue("model", model);
        var builder = new DenseIndex.Builder(generation, model);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            builder.Add(reader.GetInt64(0), reader.GetFieldValue<float[]>(1));
        return builder.Build();
    }
}
