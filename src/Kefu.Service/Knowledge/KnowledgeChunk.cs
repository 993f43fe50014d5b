namespace Kefu.Service.Knowledge;

/// <summary>
/// One retrievable piece of knowledge: a Markdown section (with the heading path it sits under) or one FAQ entry.
/// </summary>
/// <param name="Anchor">Where in the source it comes from: a FAQ id or a section number, for citations.</param>
/// <param name="Title">The heading path ("退换货政策 > 7天无理由退货") or the FAQ question.</param>
/// <param name="Text">The section's text or the FAQ answer.</param>
/// <param name="Kind">Whether it is a document section or a question/answer pair.</param>
public sealed record KnowledgeChunk(string Anchor, string Title, string Text, KnowledgeChunkKind Kind);
