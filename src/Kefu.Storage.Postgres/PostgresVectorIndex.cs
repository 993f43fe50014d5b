using System.Numerics.Tensors;
using Npgsql;

namespace Kefu.Storage.Postgres;

/// <summary>
/// The chunk vectors of one knowledge-base generation, normalised into one array and searched exactly (one dot
/// product per chunk), as the SQLite store's DenseIndex does: at ~100k chunks of 384 dimensions a search takes a
/// few milliseconds, so no approximate index is needed at a customer-service knowledge base's size. Each replica
/// loads it from PostgreSQL and reloads when the shared generation changes (an import on any replica).
/// </summary>
internal sealed class PostgresVectorIndex
{
    private readonly long[] _ids;
    private readonly float[] _vectors;

    private PostgresVectorIndex(long generation, string model, int dimensions, long[] ids, float[] vectors)
    {
        Generation = generation;
        Model = model;
        Dimensions = dimensions;
        _ids = ids;
        _vectors = vectors;
    }

    public long Generation { get; }

    public string Model { get; }

    public int Dimensions { get; }

    public int Count => _ids.Length;

    /// <summary>Loads every vector of <paramref name="model"/> of its most common length (others are from a misconfiguration).</summary>
    public static async Task<PostgresVectorIndex> LoadAsync(NpgsqlConnection connection, long generation, string model, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT chunk_id, vector FROM kb_vectors
            WHERE model = @model AND dimensions = (
                SELECT dimensions FROM kb_vectors WHERE model = @model GROUP BY dimensions ORDER BY count(*) DESC, dimensions LIMIT 1)
            ORDER BY chunk_id
            """, connection);
        command.Parameters.AddWithValue("model", model);
        var ids = new List<long>();
        var vectors = new List<float>();
        var dimensions = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var vector = reader.GetFieldValue<float[]>(1);
            dimensions = vector.Length;
            if (!Normalize(vector))
                continue;
            ids.Add(reader.GetInt64(0));
            vectors.AddRange(vector);
        }
        return new PostgresVectorIndex(generation, model, dimensions, [.. ids], [.. vectors]);
    }

    /// <summary>The <paramref name="count"/> chunks most similar to <paramref name="query"/>, most similar first, with their cosine.</summary>
    public List<(long Id, double Similarity)> Nearest(float[] query, int count)
    {
        if (Count == 0 || count <= 0 || query.Length != Dimensions)
            return [];
        var normalized = (float[])query.Clone();
        if (!Normalize(normalized))
            return [];
        // A min-heap of the best so far: its root is the one to drop when a better chunk comes.
        var best = new PriorityQueue<int, float>(count + 1);
        for (var row = 0; row < _ids.Length; row++)
        {
            var similarity = TensorPrimitives.Dot(normalized, _vectors.AsSpan(row * Dimensions, Dimensions));
            if (best.Count < count)
                best.Enqueue(row, similarity);
            else if (best.TryPeek(out _, out var worst) && similarity > worst)
                best.EnqueueDequeue(row, similarity);
        }
        var result = new List<(long Id, double Similarity)>(best.Count);
        while (best.TryDequeue(out var row, out var similarity))
            result.Add((_ids[row], similarity));
        result.Reverse();
        return result;
    }

    private static bool Normalize(Span<float> vector)
    {
        var norm = MathF.Sqrt(TensorPrimitives.Dot<float>(vector, vector));
        if (norm is 0 || float.IsNaN(norm) || float.IsInfinity(norm))
            return false;
        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }
}
