using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// Nearest chunks by cosine in SQL with pgvector, when the database has the extension: the stored <c>real[]</c> is
/// cast to <c>vector(d)</c>, and an HNSW index on that expression (one partial index per dimension, created on
/// first use) makes the search approximate but sub-linear for knowledge bases far beyond what the exact in-process
/// index handles. pgvector indexes at most 2000 dimensions; above that the same query runs as an exact scan.
/// </summary>
internal sealed class PgvectorSearch
{
    private const int MaxIndexedDimensions = 2000;
    private readonly ConcurrentDictionary<int, bool> _indexed = new();

    public async Task<List<(long Id, double Similarity)>> NearestAsync(
        NpgsqlConnection connection, string model, float[] query, int count, CancellationToken cancellationToken)
    {
        if (query.Length == 0 || count <= 0)
            return [];
        // The dimension is part of the type (vector(d)); it is an int, formatted invariantly, never text from outside.
        var dimensions = query.Length.ToString(CultureInfo.InvariantCulture);
        if (query.Length <= MaxIndexedDimensions && !_indexed.ContainsKey(query.Length))
        {
            await using var index = new NpgsqlCommand($"""
                CREATE INDEX IF NOT EXISTS kb_vectors_hnsw_{dimensions} ON kb_vectors
                USING hnsw ((vector::vector({dimensions})) vector_cosine_ops) WHERE dimensions = {dimensions}
                """, connection);
            await index.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            _indexed[query.Length] = true;
        }
        await using var command = new NpgsqlCommand($"""
            SELECT chunk_id, 1 - (vector::vector({dimensions}) <=> @query::real[]::vector({dimensions})) AS similarity
            FROM kb_vectors
            WHERE dimensions = {dimensions} AND model = @model
            ORDER BY vector::vector({dimensions}) <=> @query::real[]::vector({dimensions})
            LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("query", query);
        command.Parameters.AddWithValue("model", model);
        command.Parameters.AddWithValue("count", count);
        var nearest = new List<(long Id, double Similarity)>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!reader.IsDBNull(1))
                nearest.Add((reader.GetInt64(0), reader.GetDouble(1)));
        }
        return nearest;
    }
}
