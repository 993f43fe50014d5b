using Kefu.Storage.Postgres.Tests.Support;

[assembly: AssemblyFixture(typeof(SharedPostgresCluster))]
