namespace Kefu.Storage.Postgres;

/// <summary>One numbered schema change. Its SQL is idempotent (IF NOT EXISTS), so re-running it is harmless.</summary>
/// <param name="Version">The migration's number; applied in ascending order, each recorded once in schema_migrations.</param>
/// <param name="Name">What it does, as recorded.</param>
/// <param name="Sql">The statements, run in one transaction.</param>
internal sealed record PostgresMigration(int Version, string Name, string Sql);
