using System.CommandLine;
using System.Net;
using System.Text.RegularExpressions;
using Kefu.Cli.Tests.Support;
using Kefu.Testing;

namespace Kefu.Cli.Tests.Service;

public sealed partial class ServeCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_BeyondLoopbackWithoutApiKey_RefusesToStart()
    {
        if (Environment.GetEnvironmentVariable("KEFU_API_KEY") is { Length: > 0 })
            Assert.Skip("KEFU_API_KEY is set, which supplies the key this test leaves out.");
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("serve", "--urls", "http://0.0.0.0:0", "--data-dir", temp.Path);

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--api-key");
    }

    [Fact]
    public async Task Serve_EmbeddingsCalibrationReversed_RefusesToStart()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync(
            "serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.Path, "--embeddings-unrelated", "0.9", "--embeddings-equivalent", "0.5");

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("--embeddings-equivalent");
    }

    [Fact]
    public async Task Serve_MissingLexicon_RefusesToStartNamingIt()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.Path, "--lexicon", temp.File("lexicon.json"));

        result.ExitCode.ShouldBe(2);
        result.Error.ShouldContain("lexicon.json");
    }

    [Theory]
    [InlineData("--backend")]
    [InlineData("--embeddings")]
    [InlineData("--shop")]
    public async Task Serve_UrlOptionNotAnHttpUrl_IsRejectedNamingTheOption(string option)
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync("serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.Path, option, "not a url");

        result.ExitCode.ShouldNotBe(0);
        result.Error.ShouldContain(option);
        result.Output.ShouldNotContain("Kefu is serving");
    }

    [Fact]
    public async Task Serve_EmbeddingsServerDownAndNoModelNamed_FailsBeforeListening()
    {
        using var temp = new TempDirectory();

        var result = await CliRun.RunSplitAsync(
            "serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.Path, "--api-key", "k", "--embeddings", KbCommandTests.DeadLoopbackUrl());

        result.ExitCode.ShouldBe(1);
        result.Error.ShouldContain("embeddings server");
        result.Output.ShouldNotContain("Kefu is serving");
    }

    [Fact]
    public async Task Serve_WithKnowledge_PrintsItsUrls_AnswersHealthAndChat_AndStopsCleanlyOnCancel()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("faq.csv"), "question,answer\n多少钱包邮？,订单满59元包邮，不满59元收6元运费。\n", Ct);
        using var output = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        string[] args = ["serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.File("data"), "--api-key", "test-key", "--knowledge", temp.File("faq.csv")];
        var run = KefuCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = synchronizedOutput, Error = synchronizedOutput }, stop.Token);

        var root = await WaitForBannerAsync(output, run);
        using var http = new HttpClient { BaseAddress = new Uri(root + "/") };
        var health = await http.GetAsync(new Uri("healthz", UriKind.Relative), Ct);
        using var chat = new HttpRequestMessage(HttpMethod.Post, "chat") { Content = new StringContent("""{"message":"多少钱包邮？"}""", System.Text.Encoding.UTF8, "application/json") };
        chat.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "test-key");
        var reply = await http.SendAsync(chat, Ct);
        var replyText = await reply.Content.ReadAsStringAsync(Ct);
        await stop.CancelAsync();
        var exitCode = await run;

        health.StatusCode.ShouldBe(HttpStatusCode.OK);
        reply.StatusCode.ShouldBe(HttpStatusCode.OK, replyText);
        replyText.ShouldContain("59元");
        output.ToString().ShouldContain("Knowledge     BM25");
        exitCode.ShouldBe(0);
    }

    [Fact]
    public async Task Serve_WithEmbeddings_EmbedsTheKnowledgeAtStart_AndSaysItSearchesHybrid()
    {
        await using var embeddings = await CharacterBagEmbeddingServer.StartAsync();
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("faq.csv"), "question,answer\n多少钱包邮？,订单满59元包邮。\n积分会过期吗？,次年12月31日过期。\n", Ct);
        using var output = new StringWriter();
        var synchronizedOutput = TextWriter.Synchronized(output);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        string[] args =
        [
            "serve", "--urls", "http://127.0.0.1:0", "--data-dir", temp.File("data"), "--api-key", "k", "--knowledge", temp.File("faq.csv"),
            "--embeddings", embeddings.Url, "--embeddings-model", "char-bag",
        ];
        var run = KefuCommandLine.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = synchronizedOutput, Error = synchronizedOutput }, stop.Token);

        await WaitForBannerAsync(output, run);
        var embeddedAtStart = embeddings.Texts;
        await stop.CancelAsync();
        var exitCode = await run;

        output.ToString().ShouldContain("Knowledge     hybrid: BM25 + embeddings char-bag (RRF)");
        embeddedAtStart.ShouldBe(2);
        exitCode.ShouldBe(0);
    }

    /// <summary>The chat URL root from the banner, once the server prints it (the server is then listening).</summary>
    private static async Task<string> WaitForBannerAsync(StringWriter output, Task<int> run)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (DateTimeOffset.UtcNow < deadline)
        {
            string text;
            lock (output)
                text = output.ToString();
            if (ChatUrl().Match(text) is { Success: true } match)
                return match.Groups[1].Value;
            if (run.IsCompleted)
                throw new InvalidOperationException($"kefu serve exited with {await run}: {text}");
            await Task.Delay(50, Ct);
        }
        throw new TimeoutException("kefu serve printed no banner within 60 s.");
    }

    [GeneratedRegex(@"POST (http://127\.0\.0\.1:\d+)/chat")]
    private static partial Regex ChatUrl();
}
