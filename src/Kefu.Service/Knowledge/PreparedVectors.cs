namespace Kefu.Service.Knowledge;

/// <summary>
/// The vectors of a source's new chunks, ready to insert beside them: the model, each chunk's text hash, and its vector
/// in the store's form (a float32 blob in SQLite, real[] in PostgreSQL), null where none could be made.
/// </summary>
internal sealed record PreparedVectors<T>(string Model, string[] Hashes, T?[] Vectors)
    where T : class;
