using Kefu.Safety.Words;
using Kefu.Testing;

namespace Kefu.Safety.Tests.Words;

public sealed class LexiconLoaderTests
{
    [Fact]
    public void Load_ManifestWithCategoriesAndWhitelist_ReadsWordsSkippingCommentsAndBlankLines()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("abuse.txt"), "# insults\n傻逼\n\n  滚蛋  \r\n");
        File.WriteAllText(folder.File("bait.txt"), "\uFEFF加微信\n");
        File.WriteAllText(folder.File("white.txt"), "联系客服\n");
        File.WriteAllText(folder.File("lexicon.json"), """
            {
              // comments are allowed
              "categories": [
                { "name": "abuse", "severity": 3, "action": "block", "files": ["abuse.txt"] },
                { "name": "bait", "severity": 2, "inputAction": "flag", "outputAction": "mask", "files": ["bait.txt"] },
              ],
              "whitelist": ["white.txt"]
            }
            """);

        var lexicon = LexiconLoader.Load(folder.File("lexicon.json"));

        lexicon.Categories.Select(c => c.Category).ShouldBe([
            new WordCategory("abuse", 3, SafetyAction.Block, SafetyAction.Block),
            new WordCategory("bait", 2, SafetyAction.Flag, SafetyAction.Mask)]);
        lexicon.Categories[0].Words.Select(w => w.Text).ShouldBe(["傻逼", "滚蛋"]);
        lexicon.Categories[0].Words[1].Origin.ShouldEndWith("abuse.txt:4");
        lexicon.Categories[1].Words.ShouldHaveSingleItem().Text.ShouldBe("加微信");
        lexicon.Whitelist.ShouldHaveSingleItem().Text.ShouldBe("联系客服");
        lexicon.ContentHash.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void Load_DemoShopLexicon_LoadsEveryCategory()
    {
        var lexicon = LexiconLoader.Load(DemoShopData.DemoLexiconManifest);

        lexicon.Categories.Select(c => c.Category.Name).ShouldBe(["illegal_goods", "severe_abuse", "fraud", "abuse", "contact_bait", "ads"]);
        lexicon.Categories.ShouldAllBe(c => c.Words.Count > 0);
        lexicon.Whitelist.Count.ShouldBeGreaterThan(20);
        Should.NotThrow(() => SensitiveWordMatcher.Build(lexicon));
    }

    [Theory]
    [InlineData("""{ "categories": [ { "name": "a", "severity": 9, "action": "block", "files": ["w.txt"] } ] }""", "severity")]
    [InlineData("""{ "categories": [ { "name": "a", "severity": 2, "action": "erase", "files": ["w.txt"] } ] }""", "'action' is 'erase'")]
    [InlineData("""{ "categories": [ { "name": "a", "severity": 2, "files": ["w.txt"] } ] }""", "inputAction")]
    [InlineData("""{ "categories": [ { "severity": 2, "action": "flag", "files": ["w.txt"] } ] }""", "'name'")]
    [InlineData("""{ "categories": [ { "name": "a", "severity": 2, "action": "flag" } ] }""", "'files'")]
    [InlineData("""{ "categories": [ { "name": "a", "severity": 2, "action": "flag", "files": ["missing.txt"] } ] }""", "missing.txt")]
    [InlineData("""{ "categories": { } }""", "'categories'")]
    [InlineData("""{ "categories": [ """, "not valid JSON")]
    public void Load_MalformedManifest_FailsNamingTheFileAndField(string manifest, string expected)
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.File("w.txt"), "词\n");
        File.WriteAllText(folder.File("lexicon.json"), manifest);

        var error = Should.Throw<LexiconFormatException>(() => LexiconLoader.Load(folder.File("lexicon.json")));

        error.Message.ShouldContain(expected);
        error.Message.ShouldContain("lexicon.json");
    }

    [Fact]
    public void Load_WordFileThatIsNotUtf8_FailsNamingTheFile()
    {
        using var folder = new TempDirectory();
        File.WriteAllBytes(folder.File("gbk.txt"), [0xC9, 0xB5, 0xB1, 0xC6, 0x0A]); // 傻逼 in GBK
        File.WriteAllText(folder.File("lexicon.json"), """{ "categories": [ { "name": "a", "severity": 2, "action": "flag", "files": ["gbk.txt"] } ] }""");

        Should.Throw<LexiconFormatException>(() => LexiconLoader.Load(folder.File("lexicon.json"))).Message.ShouldContain("gbk.txt: not valid UTF-8");
    }
}
