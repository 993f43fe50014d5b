namespace Kefu.Service.Knowledge;

/// <summary>An imported file: its key (full path), the name cited to customers, and a hash of its content.</summary>
public sealed record KnowledgeSource(string Key, string DisplayName, string ContentHash);
