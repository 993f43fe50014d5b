using System.Reflection;

namespace Kefu.Benchmarks;

/// <summary>Where benchmarks find reference data: an environment variable, else ../shared beside the checkout.</summary>
internal static class BenchmarkData
{
    public static string TokenizerDirectory()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("KEFU_TOKENIZER_DIR");
        if (!string.IsNullOrEmpty(fromEnvironment))
            return fromEnvironment;
        // BenchmarkDotNet runs a copy of this assembly from its artifacts folder, so look beside the checkout the
        // project was built from as well as above the current and the base directory.
        var starts = new[] { RepositoryRootAtBuild(), Environment.CurrentDirectory, AppContext.BaseDirectory };
        foreach (var start in starts.Where(s => !string.IsNullOrEmpty(s)))
        {
            for (var dir = new DirectoryInfo(start!); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "..", "shared", "qwen2-tokenizer");
                if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")) && Directory.Exists(candidate))
                    return Path.GetFullPath(candidate);
            }
        }
        throw new DirectoryNotFoundException(
            "No tokenizer folder: set KEFU_TOKENIZER_DIR to a folder with vocab.json and merges.txt, or put shared/qwen2-tokenizer beside the checkout.");
    }

    private static string? RepositoryRootAtBuild() =>
        typeof(BenchmarkData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
}
