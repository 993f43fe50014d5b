using System.Reflection;
using System.Text.Json;
using Kefu.Safety.Words;

namespace Kefu.Benchmarks;

/// <summary>
/// The real public word lists for the safety benchmarks: ../shared/sensitive-words beside the checkout (or under
/// KEFU_SHARED_DIR), abuse and violence as block, ads as flag, with the demo shop's whitelist. Loaded through a
/// manifest written to a temporary folder; the lists are never copied into the repository.
/// </summary>
internal static class SafetyBenchmarkData
{
    public static SensitiveWordMatcher RealListsMatcher()
    {
        var root = RepositoryRoot();
        var shared = Environment.GetEnvironmentVariable("KEFU_SHARED_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.GetFullPath(Path.Combine(root, "..", "shared"));
        var lists = Path.Combine(shared, "sensitive-words");
        if (!Directory.Exists(lists))
            throw new DirectoryNotFoundException($"No {lists}: set KEFU_SHARED_DIR to the folder holding sensitive-words/.");
        var houbb = Path.Combine(lists, "houbb_sensitive-word");
        var konsheng = Path.Combine(lists, "konsheng_Sensitive-lexicon");
        var folder = Directory.CreateTempSubdirectory("kefu-bench-lexicon-");
        try
        {
            var manifest = Path.Combine(folder.FullName, "lexicon.json");
            string Json(params string[] parts) => JsonSerializer.Serialize(Path.Combine(parts));
            File.WriteAllText(manifest, $$"""
                {
                  "categories": [
                    { "name": "abuse", "severity": 3, "action": "block", "files": [{{Json(houbb, "abuse_辱骂.txt")}}] },
                    { "name": "violence", "severity": 5, "action": "block", "files": [{{Json(konsheng, "violence_暴恐词库.txt")}}] },
                    { "name": "ads", "severity": 1, "action": "flag", "files": [{{Json(houbb, "ads_广告.txt")}}, {{Json(konsheng, "ads_广告类型.txt")}}] }
                  ],
                  "whitelist": [{{Json(root, "samples", "ecommerce", "safety", "whitelist.txt")}}, {{Json(houbb, "allow_whitelist.txt")}}]
                }
                """);
            return SensitiveWordMatcher.Build(LexiconLoader.Load(manifest));
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string RepositoryRoot()
    {
        var atBuild = typeof(SafetyBenchmarkData).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (atBuild is not null && File.Exists(Path.Combine(atBuild, "Kefu.slnx")))
            return atBuild;
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kefu.slnx")))
                return dir.FullName;
        }
        throw new DirectoryNotFoundException("Cannot find the repository root (Kefu.slnx).");
    }
}
