using Kefu.Model.Chat;
using Kefu.Model.Configuration;
using Kefu.Model.Generation;
using Kefu.Model.Modules;
using Microsoft.Extensions.AI;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Chat;

/// <summary>The whole path with a real (tiny, random) Qwen2: tokenizer → template → model → decoder → IChatClient.</summary>
public sealed class ChatWithTinyModelTests
{
    [Fact]
    public async Task GetResponse_OnTinyRandomModel_GeneratesUpToTheTokenLimit_AndStreamsTheSameText()
    {
        var tokenizer = ChatTokenizers.Qwen25;
        using var model = new Qwen2ForCausalLM(Qwen2Shapes.Get("tiny"), ScalarType.Float32, CPU);
        Qwen2WeightInit.Initialize(model, seed: 3);
        using var client = new Qwen2ChatClient(new Qwen2Generator(model), tokenizer);
        var options = new ChatOptions { MaxOutputTokens = 6, Temperature = 0 };
        ChatMessage[] messages = [new(ChatRole.User, "你好")];

        var response = await client.GetResponseAsync(messages, options, TestContext.Current.CancellationToken);
        var streamed = await client.GetStreamingResponseAsync(messages, options, TestContext.Current.CancellationToken).ToChatResponseAsync(TestContext.Current.CancellationToken);

        response.Usage!.OutputTokenCount.ShouldNotBeNull().ShouldBeInRange(1, 6);
        response.Usage.InputTokenCount.ShouldBe(tokenizer.Encode("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n你好<|im_end|>\n<|im_start|>assistant\n").Count);
        streamed.Text.ShouldBe(response.Text);
    }
}
