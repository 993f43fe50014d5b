using System.Text.Json;
using Kefu.Cli.Commands.Model;
using Kefu.Cli.Tests.Support;
using Kefu.Model.Lora;
using Kefu.Model.Runtime;
using Kefu.Testing;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Kefu.Cli.Tests.Model;

public sealed class BenchAndChatCommandTests
{
    [Fact]
    public async Task BenchGenerate_OnTinyModel_PrintsTheFiguresAndWritesJson()
    {
        using var temp = new TempDirectory();
        var folder = await TinyTrainingFiles.NewTinyModelAsync(temp.File("m"));
        var json = temp.File("bench.json");

        var (exitCode, output) = await CliRun.RunAsync("bench", "generate", "--model", folder, "--prompt-tokens", "16", "--new-tokens", "4", "--json", json);

        exitCode.ShouldBe(0, output);
        foreach (var row in new[] { "prefill", "time to first token", "decode", "peak memory (RSS)", "bandwidth bound on decode" })
            output.ShouldContain(row);
        using var document = JsonDocument.Parse(File.ReadAllText(json));
        document.RootElement.GetProperty("DecodeTokensPerSecond").GetDouble().ShouldBeGreaterThan(0);
        document.RootElement.GetProperty("PromptTokens").GetInt32().ShouldBe(16);
        document.RootElement.GetProperty("PeakResidentBytes").GetInt64().ShouldBeGreaterThan(10_000_000);
    }

    [Fact]
    public async Task Chat_WithPeftAdapter_MergesItBeforeTheConversation()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var folder = await TinyTrainingFiles.NewTinyModelAsync(temp.File("m"), tokenizer);
        var adapterFolder = temp.File("adapter");
        using (var local = LocalModel.Load(folder))
        using (var adapter = LoraAdapter.Attach(local.Model, new LoraConfig { Rank = 4, Alpha = 8 }))
            adapter.Save(adapterFolder);

        var (exitCode, output) = await CliRun.RunAsync("chat", "--model", folder, "--adapter", adapterFolder);

        exitCode.ShouldBe(0, output);
        output.ShouldContain("r=4");
        output.ShouldContain("layers merged");
    }

    [Fact]
    public async Task Chat_WithMissingAdapterFolder_FailsNamingTheAdapter()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var folder = await TinyTrainingFiles.NewTinyModelAsync(temp.File("m"), tokenizer);

        var (exitCode, output) = await CliRun.RunAsync("chat", "--model", folder, "--adapter", temp.File("no-adapter"));

        exitCode.ShouldBe(2);
        output.ShouldContain("no-adapter");
    }

    [Fact]
    public async Task ChatLoop_StreamsRepliesKeepsHistoryAndResets()
    {
        var tokenizer = SharedData.RequireDirectory("qwen2-tokenizer");
        using var temp = new TempDirectory();
        var folder = await TinyTrainingFiles.NewTinyModelAsync(temp.File("m"), tokenizer);
        using var local = LocalModel.Load(folder);
        using var client = local.CreateChatClient(local.Recommended with { MaxNewTokens = 4, Temperature = 0 });
        var recording = new RecordingClient(client);
        using var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        var loop = new ChatLoop(console, new StringReader("你好\n退货怎么办？\n/reset\n发票\n/exit\n"), recording, "你是青禾优选的客服。", new ChatOptions());

        var exitCode = await loop.RunAsync(TestContext.Current.CancellationToken);

        exitCode.ShouldBe(0);
        recording.Conversations.Select(c => c.Count).ShouldBe([2, 4, 2]);
        recording.Conversations[1][2].Role.ShouldBe(ChatRole.Assistant);
        recording.Conversations[2][1].Text.ShouldBe("发票");
        output.ToString().ShouldContain("(conversation reset)");
        output.ToString().ShouldContain("generated tokens");
    }

    /// <summary>Passes requests through and remembers the conversation each one carried.</summary>
    private sealed class RecordingClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        public List<List<ChatMessage>> Conversations { get; } = [];

        public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Conversations.Add([.. messages]);
            return base.GetStreamingResponseAsync(messages, options, cancellationToken);
        }
    }
}
