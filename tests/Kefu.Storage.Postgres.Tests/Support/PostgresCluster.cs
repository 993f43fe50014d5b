using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kefu.Testing;
using Npgsql;

namespace Kefu.Storage.Postgres.Tests.Support;

/// <summary>
/// A throw-away PostgreSQL cluster for tests: eng/postgres/ensure-postgres.sh installs the server when it is missing
/// (and may), initdb creates a cluster in a temp folder (as an unprivileged user when the tests run as root: initdb
/// refuses root), and it listens on a free loopback port with its unix socket in the temp folder. One is shared by
/// the test assembly (<see cref="SharedPostgresCluster"/>); tests that stop the server start their own. When no
/// server can be started, <see cref="Require"/> skips the test with the reason.
/// </summary>
public class PostgresCluster : IAsyncLifetime
{
    private TempDirectory? _temp;
    private string? _bin;
    private string? _user;
    private string? _skipReason;
    private int _databases;

    public int Port { get; private set; }

    /// <summary>Why no server is available, or null when one runs.</summary>
    public string? SkipReason => _skipReason;

    public async ValueTask InitializeAsync()
    {
        try
        {
            var script = Path.Combine(SharedData.RepositoryRoot, "eng", "postgres", "ensure-postgres.sh");
            var (code, output) = await RunAsync("bash", [script], timeout: TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            if (code != 0)
            {
                _skipReason = $"No PostgreSQL server for the tests (eng/postgres/ensure-postgres.sh exit {code}): {output.Trim()}";
                return;
            }
            foreach (var line in output.Split('\n', StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith("bin=", StringComparison.Ordinal))
                    _bin = line[4..];
                else if (line.StartsWith("user=", StringComparison.Ordinal))
                    _user = line[5..];
            }
            _temp = new TempDirectory();
            if (_user is not null)
                await CheckAsync("chown", ["-R", _user, _temp.Path]).ConfigureAwait(false);
            await CheckAsync(Tool("initdb"), ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "-N"]).ConfigureAwait(false);
            Port = FreePort();
            await StartAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            _skipReason = "Could not start a PostgreSQL test server: " + e.Message;
        }
    }

    private string DataDirectory => Path.Combine(_temp!.Path, "data");

    /// <summary>Skips the calling test when no server runs.</summary>
    public void Require()
    {
        if (_skipReason is not null)
            Assert.Skip(_skipReason);
    }

    /// <summary>The connection string of database <paramref name="database"/> as user postgres over loopback TCP.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            // Short waits: a test of a stopped server should fail fast, not after the default 15 s.
            Timeout = 3,
            CommandTimeout = 30,
        }.ConnectionString;

    /// <summary>A fresh, empty database; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        Require();
        var name = $"kefu_test_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionString(name);
    }

    /// <summary>Starts (or restarts) the server and waits until it accepts connections.</summary>
    public Task StartAsync() =>
        CheckAsync(Tool("pg_ctl"), [
            "-D", DataDirectory, "-l", Path.Combine(_temp!.Path, "server.log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_temp.Path} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=500", "start",
        ]);

    /// <summary>Stops the server: <c>fast</c> (disconnects clients, clean shutdown) or <c>immediate</c> (as a crash).</summary>
    public Task StopAsync(string mode = "fast") =>
        CheckAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", mode, "-w", "-t", "60", "stop"]);

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_temp is null)
            return;
        if (_skipReason is null && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
            await RunAsync(Tool("pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        _temp.Dispose();
    }

    private string Tool(string name) => Path.Combine(_bin ?? throw new InvalidOperationException("no PostgreSQL bin folder"), name);

    private async Task CheckAsync(string file, string[] arguments)
    {
        var (code, output) = await RunAsync(file, arguments, TimeSpan.FromMinutes(2)).ConfigureAwait(false);
        if (code != 0)
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', arguments)} failed ({code}): {output.Trim()}");
    }

    /// <summary>Runs a PostgreSQL tool, as the unprivileged user when this process is root.</summary>
    private async Task<(int Code, string Output)> RunAsync(string file, string[] arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var runAsUser = _user is not null && file.StartsWith(_bin ?? "\0", StringComparison.Ordinal);
        start.FileName = runAsUser ? "runuser" : file;
        if (runAsUser)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(_user!);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(file);
        }
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        // pg_ctl start leaves the server holding inherited pipes; read to the tool's own exit, not to EOF.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        var output = await Completed(stdout).ConfigureAwait(false) + await Completed(stderr).ConfigureAwait(false);
        return (process.ExitCode, output);
    }

    private static async Task<string> Completed(Task<string> read) =>
        await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false) == read ? await read.ConfigureAwait(false) : "";

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The cluster the whole test assembly shares (each test gets its own database in it).</summary>
public sealed class SharedPostgresCluster : PostgresCluster;
