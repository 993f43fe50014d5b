namespace Kefu.Model.Generation;

/// <summary>The tokens generated for one prompt (without the stop token) and why generation ended.</summary>
public sealed record GenerationResult(IReadOnlyList<int> Tokens, GenerationFinishReason FinishReason, int PromptTokenCount, int? StopTokenId = null);
