using System.Diagnostics;
using System.Globalization;
using Kefu.Service.Knowledge;
using Kefu.Testing;
using Microsoft.Data.Sqlite;

namespace Kefu.Service.Tests.Knowledge;

public sealed class DenseIndexTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Nearest_HandMadeVectors_RanksByCosine_IgnoringLengthAndOtherModels()
    {
        using var temp = new TempDirectory();
        await using var connection = await CreateAsync(temp);
        await InsertAsync(connection, 1, "m", [1, 0, 0]);
        await InsertAsync(connection, 2, "m", [10, 10, 0]);   // cosine 0.71 to (1, 0.2, 0) scaled away by normalising
        await InsertAsync(connection, 3, "m", [0, 0, 1]);
        await InsertAsync(connection, 4, "other", [1, 0.2f, 0]);
        var index = await DenseIndex.LoadAsync(connection, generation: 7, "m", Ct);

        var nearest = index.Nearest([1, 0.2f, 0], 2);

        index.Count.ShouldBe(3);
        nearest.Select(n => n.Id).ShouldBe([1L, 2L]);
        nearest[0].Similarity.ShouldBe(1 / Math.Sqrt(1.04), 1e-5);
        nearest[1].Similarity.ShouldBe(1.2 / Math.Sqrt(1.04) / Math.Sqrt(2), 1e-5);
    }

    [Fact]
    public async Task Nearest_QueryOfAnotherDimension_FindsNothing()
    {
        using var temp = new TempDirectory();
        await using var connection = await CreateAsync(temp);
        await InsertAsync(connection, 1, "m", [1, 0, 0]);
        var index = await DenseIndex.LoadAsync(connection, 1, "m", Ct);

        index.Nearest([1, 0], 5).ShouldBeEmpty();
    }

    /// <summary>Brute-force search time over 100k chunks (384 dimensions); run with KEFU_MEASURE_LARGE=1.</summary>
    [Fact]
    public async Task Nearest_100kChunks_P50P95()
    {
        if (Environment.GetEnvironmentVariable("KEFU_MEASURE_LARGE") != "1")
            Assert.Skip("Set KEFU_MEASURE_LARGE=1 to measure brute-force dense search over 100k chunks.");
        using var temp = new TempDirectory();
        await using var connection = await CreateAsync(temp);
        var random = new Random(42);
        await using (var transaction = connection.BeginTransaction())
        {
            for (var id = 1; id <= 100_000; id++)
                await InsertAsync(connection, id, "m", [.. Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f)], transaction);
            await transaction.CommitAsync(Ct);
        }
        var load = Stopwatch.StartNew();
        var index = await DenseIndex.LoadAsync(connection, 1, "m", Ct);
        load.Stop();
        var times = new List<double>();
        for (var i = 0; i < 50; i++)
        {
            float[] query = [.. Enumerable.Range(0, 384).Select(_ => (float)random.NextDouble() - 0.5f)];
            var started = Stopwatch.GetTimestamp();
            index.Nearest(query, 20).Count.ShouldBe(20);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"100k x 384: load {load.ElapsedMilliseconds} ms; nearest-20 p50 {times[25]:F1} ms, p95 {times[47]:F1} ms"));
    }

    private static async Task<SqliteConnection> CreateAsync(TempDirectory temp)
    {
        var connection = new SqliteConnection($"Data Source={temp.File("v.db")};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "CREATE TABLE kb_vectors (chunk_id INTEGER PRIMARY KEY, model TEXT NOT NULL, text_hash TEXT NOT NULL, vector BLOB NOT NULL)";
        await command.ExecuteNonQueryAsync(Ct);
        return connection;
    }

    private static async Task InsertAsync(SqliteConnection connection, long id, string model, float[] vector, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO kb_vectors (chunk_id, model, text_hash, vector) VALUES ($id, $model, '', $vector)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$model", model);
        command.Parameters.AddWithValue("$vector", VectorBlob.Encode(vector));
        await command.ExecuteNonQueryAsync(Ct);
    }
}
