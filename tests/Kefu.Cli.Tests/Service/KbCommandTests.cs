using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Service;

public sealed class KbCommandTests
{
    private const string Faq = """
        id,question,answer
        f1,多少钱包邮？,订单满59元包邮，不满59元收6元运费。
        f2,积分会过期吗？,积分在获得次年的12月31日过期。
        """;

    private const string Policy = """
        # 保修与维修

        ## 保修期限

        小家电保修1年，电机等主要部件保修2年。人为损坏、进水不在保修范围内。
        """;

    [Fact]
    public async Task KbImport_MarkdownAndCsv_ThenKbSearch_FindsTheImportedAnswer()
    {
        using var temp = await WriteKnowledgeAsync();
        var data = temp.File("data");

        var import = await CliRun.RunSplitAsync("kb", "import", temp.File("faq.csv"), temp.File("warranty.md"), "--data-dir", data);
        var search = await CliRun.RunSplitAsync("kb", "search", "电机坏了保修几年", "--data-dir", data, "--limit", "1");

        import.ExitCode.ShouldBe(0, import.Error);
        import.Output.ShouldContain("faq.csv  (2 chunks)");
        import.Output.ShouldContain("knowledge base: 2 files, 3 chunks");
        File.Exists(Path.Combine(data, "knowledge.db")).ShouldBeTrue();
        search.ExitCode.ShouldBe(0, search.Error);
        search.Output.ShouldContain("warranty.md");
        search.Output.ShouldContain("保修与维修 > 保修期限");
        search.Output.ShouldContain("电机等主要部件保修2年");
    }

    [Fact]
    public async Task KbImport_SameFilesTwice_SecondRunReportsThemUnchanged()
    {
        using var temp = await WriteKnowledgeAsync();
        var data = temp.File("data");
        await CliRun.RunSplitAsync("kb", "import", temp.Path, "--data-dir", data);

        var again = await CliRun.RunSplitAsync("kb", "import", temp.Path, "--data-dir", data);

        again.ExitCode.ShouldBe(0, again.Error);
        again.Output.ShouldContain("unchanged");
        again.Output.ShouldNotContain("imported ");
    }

    [Fact]
    public async Task KbImport_CsvRowWithEmptyAnswer_FailsNamingFileLineAndField()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("bad.csv"), "question,answer\n多少钱包邮？,满59元包邮\n积分会过期吗？,\n", TestContext.Current.CancellationToken);

        var result = await CliRun.RunSplitAsync("kb", "import", temp.File("bad.csv"), "--data-dir", temp.File("data"));

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain("bad.csv:3: answer: empty");
    }

    [Fact]
    public async Task KbImport_MissingPath_FailsWithTheMissingPath()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("kb", "import", temp.File("nope.md"), "--data-dir", temp.File("data"));

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("nope.md");
    }

    [Fact]
    public async Task KbSearch_QuestionOutsideTheKnowledge_SaysNoMatchOrLowConfidence()
    {
        using var temp = await WriteKnowledgeAsync();
        var data = temp.File("data");
        await CliRun.RunSplitAsync("kb", "import", temp.Path, "--data-dir", data);

        var result = await CliRun.RunSplitAsync("kb", "search", "推荐几只能涨的股票", "--data-dir", data);

        result.ExitCode.ShouldBe(0);
        result.Output.ShouldContain("no match");
    }

    [Fact]
    public async Task KbImport_EmbeddingsServerDown_ImportsForBm25_ButExitsNonZeroWithAWarning()
    {
        using var temp = await WriteKnowledgeAsync();
        var data = temp.File("data");
        var dead = DeadLoopbackUrl();

        var import = await CliRun.RunSplitAsync("kb", "import", temp.Path, "--data-dir", data, "--embeddings", dead, "--embeddings-model", "m");
        var search = await CliRun.RunSplitAsync("kb", "search", "多少钱包邮", "--data-dir", data, "--embeddings", dead, "--embeddings-model", "m");

        import.ExitCode.ShouldBe(3);
        import.Output.ShouldContain("knowledge base: 2 files, 3 chunks");
        import.Output.ShouldContain("0 chunks embedded");
        search.ExitCode.ShouldBe(0);
        search.Error.ShouldContain("BM25 results alone");
        search.Output.ShouldContain("订单满59元包邮");
    }

    [Fact]
    public async Task KbImportAndSearch_WithEmbeddings_StoreVectorsOnce_AndSearchShowsCosines()
    {
        await using var server = await CharacterBagEmbeddingServer.StartAsync();
        using var temp = await WriteKnowledgeAsync();
        var data = temp.File("data");

        var import = await CliRun.RunSplitAsync("kb", "import", temp.Path, "--data-dir", data, "--embeddings", server.Url, "--embeddings-model", "char-bag");
        var embeddedAtImport = server.Texts;
        var search = await CliRun.RunSplitAsync(
            "kb", "search", "邮费", "--data-dir", data, "--embeddings", server.Url, "--embeddings-model", "char-bag", "--limit", "1");

        import.ExitCode.ShouldBe(0, import.Error);
        import.Output.ShouldContain("embeddings: 3 chunks embedded, 0 failed calls");
        embeddedAtImport.ShouldBe(3);
        search.ExitCode.ShouldBe(0, search.Error);
        search.Output.ShouldContain("多少钱包邮？");
        search.Output.ShouldContain("(cosine ");
        server.Texts.ShouldBe(4, "the search embeds the question only");
    }

    [Fact]
    public async Task KbSearch_EmbeddingsServerDownAndNoModelNamed_FailsWithAHint()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("kb", "search", "多少钱包邮", "--data-dir", temp.File("data"), "--embeddings", DeadLoopbackUrl());

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("--embeddings-model");
    }

    [Fact]
    public async Task KbSearch_CalibrationReversed_IsRejected()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync(
            "kb", "search", "多少钱包邮", "--data-dir", temp.File("data"), "--embeddings-unrelated", "0.8", "--embeddings-equivalent", "0.4");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--embeddings-unrelated");
    }

    private static async Task<TempDirectory> WriteKnowledgeAsync()
    {
        var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("faq.csv"), Faq, TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(temp.File("warranty.md"), Policy, TestContext.Current.CancellationToken);
        return temp;
    }

    /// <summary>A loopback address nothing listens on: a port taken and released at once.</summary>
    internal static string DeadLoopbackUrl()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        var port = ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }
}
