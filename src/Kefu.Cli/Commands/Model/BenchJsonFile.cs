using System.CommandLine;
using System.Text.Json;

namespace Kefu.Cli.Commands.Model;

/// <summary>The bench verbs' <c>--json</c> file: the figures they print, indented, written atomically.</summary>
internal static class BenchJsonFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Option<string?> Option() => new("--json") { Description = "Also write the figures to this JSON file" };

    public static async Task WriteAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var temp = path + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        await File.WriteAllTextAsync(temp, JsonSerializer.Serialize(value, Indented), cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
    }
}
