using Kefu.Testing;

namespace Kefu.Service.Tests.Support;

/// <summary>The demo shop in samples/ecommerce (part of the repository); tests skip with a message if it is absent.</summary>
internal static class DemoShopData
{
    public static string Directory => Path.Combine(SharedData.RepositoryRoot, "samples", "ecommerce");

    public static string Require(string relative)
    {
        var path = Path.Combine(Directory, relative);
        if (!File.Exists(path) && !System.IO.Directory.Exists(path))
            Assert.Skip($"samples/ecommerce/{relative} is absent; this test needs the demo shop data.");
        return path;
    }

    /// <summary>The demo's knowledge: the help-center pages and the FAQ.</summary>
    public static string[] KnowledgePaths() => [Require("knowledge"), Require(Path.Combine("data", "faq.csv"))];
}
