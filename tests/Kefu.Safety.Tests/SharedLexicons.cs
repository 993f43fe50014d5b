using Kefu.Safety.Words;
using Kefu.Testing;

namespace Kefu.Safety.Tests;

/// <summary>
/// The real, noisy public lists in ../shared/sensitive-words, loaded through a manifest written to a temporary
/// folder (the lists themselves are never copied into the repository): abuse and violence as block, both ads lists
/// as flag, whitelisted by the demo shop's whitelist plus the houbb allow-list.
/// </summary>
internal static class SharedLexicons
{
    public static SensitiveWordMatcher Build(out IReadOnlyDictionary<string, IReadOnlyList<string>> wordsByCategory)
    {
        var root = SharedData.RequireDirectory("sensitive-words");
        var houbb = Path.Combine(root, "houbb_sensitive-word");
        var konsheng = Path.Combine(root, "konsheng_Sensitive-lexicon");
        using var folder = new TempDirectory();
        var manifest = folder.File("lexicon.json");
        string Json(string path) => System.Text.Json.JsonSerializer.Serialize(path);
        File.WriteAllText(manifest, $$"""
            {
              "categories": [
                { "name": "abuse", "severity": 3, "action": "block", "files": [{{Json(Path.Combine(houbb, "abuse_辱骂.txt"))}}] },
                { "name": "violence", "severity": 5, "action": "block", "files": [{{Json(Path.Combine(konsheng, "violence_暴恐词库.txt"))}}] },
                { "name": "ads", "severity": 1, "action": "flag",
                  "files": [{{Json(Path.Combine(houbb, "ads_广告.txt"))}}, {{Json(Path.Combine(konsheng, "ads_广告类型.txt"))}}] }
              ],
              "whitelist": [{{Json(Path.Combine(DemoShopData.SampleDirectory, "safety", "whitelist.txt"))}}, {{Json(Path.Combine(houbb, "allow_whitelist.txt"))}}]
            }
            """);
        var lexicon = LexiconLoader.Load(manifest);
        wordsByCategory = lexicon.Categories.ToDictionary(c => c.Category.Name, c => (IReadOnlyList<string>)[.. c.Words.Select(w => w.Text).Distinct()]);
        return SensitiveWordMatcher.Build(lexicon);
    }
}
