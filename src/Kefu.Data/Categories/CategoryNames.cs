using Kefu.Data.Records;

namespace Kefu.Data.Categories;

/// <summary>Category names as written in data and manifests: English names plus the seed article's Chinese terms.</summary>
public static class CategoryNames
{
    private static readonly Dictionary<string, DataCategory> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        ["knowledge"] = DataCategory.Knowledge,
        ["faq"] = DataCategory.Knowledge,
        ["知识"] = DataCategory.Knowledge,
        ["知识注入"] = DataCategory.Knowledge,
        ["dialogue"] = DataCategory.Dialogue,
        ["dialog"] = DataCategory.Dialogue,
        ["对话"] = DataCategory.Dialogue,
        ["对话流程"] = DataCategory.Dialogue,
        ["exception"] = DataCategory.Exception,
        ["edge"] = DataCategory.Exception,
        ["异常"] = DataCategory.Exception,
        ["异常处理"] = DataCategory.Exception,
    };

    /// <summary>What error messages list as accepted values.</summary>
    public const string Accepted = "knowledge, dialogue or exception (or 知识, 对话, 异常)";

    public static bool TryParse(string? text, out DataCategory category)
    {
        category = default;
        return text is not null && Names.TryGetValue(text.Trim(), out category);
    }

    /// <summary>The lower-case English name used in output files.</summary>
    public static string ToName(this DataCategory category) => category switch
    {
        DataCategory.Knowledge => "knowledge",
        DataCategory.Dialogue => "dialogue",
        _ => "exception",
    };
}
