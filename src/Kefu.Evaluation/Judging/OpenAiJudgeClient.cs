using System.ClientModel;
using Kefu.Service;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Kefu.Evaluation.Judging;

/// <summary>An OpenAI-compatible endpoint (vLLM, llama.cpp, Ollama, a hosted API) as the judge's <see cref="IChatClient"/>.</summary>
public static class OpenAiJudgeClient
{
    public static async Task<IChatClient> CreateAsync(Uri url, string? model, string? apiKey, CancellationToken cancellationToken)
    {
        var root = OpenAiCompatibleServer.ApiRoot(url);
        model ??= await OpenAiCompatibleServer.DiscoverModelAsync(root, apiKey, "judge server", "--judge-model", cancellationToken).ConfigureAwait(false);
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey),
            new OpenAIClientOptions { Endpoint = root, NetworkTimeout = TimeSpan.FromMinutes(2) });
        return client.GetChatClient(model).AsIChatClient();
    }
}
