namespace Kefu.Model.Generation;

/// <summary>
/// One generated token. The last token of a generation carries its <see cref="FinishReason"/>: with
/// <see cref="GenerationFinishReason.Stop"/> that token is the stop token itself.
/// </summary>
public sealed record GeneratedToken(int TokenId, int Index, GenerationFinishReason? FinishReason = null);
