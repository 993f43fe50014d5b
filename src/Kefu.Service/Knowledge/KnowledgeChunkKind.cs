namespace Kefu.Service.Knowledge;

/// <summary>What a knowledge chunk was made from.</summary>
public enum KnowledgeChunkKind
{
    /// <summary>A section of a Markdown document.</summary>
    Section,

    /// <summary>A question and its answer from a FAQ file.</summary>
    Faq,
}
