namespace Kefu.Service.Knowledge;

/// <summary>
/// What a Chinese question says about how it is asked rather than what it asks about: particles, pronouns and
/// question words (single characters), and generic words such as 东西 or 现在. They are left out when measuring
/// how much of a question a chunk explains; otherwise "今天天气怎么样" would look half-answered by any FAQ that
/// contains "怎么", and in a small knowledge base a generic word that happens to be rare ("东西") would outweigh
/// the question's topic. Numerals are kept but count little: amounts and dates are details, rarely the topic.
/// </summary>
internal static class QueryStopCharacters
{
    private static readonly HashSet<string> Characters = new(
        "的了吗呢吧啊呀哦嘛么什怎请问我你您们是在就都也还要想能会可以这那哪如何为呗哈嗯得着过".Select(c => c.ToString()),
        StringComparer.Ordinal);

    private static readonly HashSet<string> Numerals = new("一二三四五六七八九十百千万两半几第".Select(c => c.ToString()), StringComparer.Ordinal);

    /// <summary>Generic words, longest first so that the longest match claims its characters.</summary>
    private static readonly string[] Words =
    [
        "可不可以", "怎么回事", "怎么办", "为什么", "什么样", "有没有", "是不是", "能不能", "要不要", "会不会",
        "东西", "现在", "时候", "一般", "那种", "这种", "的话", "已经", "还是", "就是", "一下", "一直", "知道", "觉得",
        "自己", "麻烦", "请问", "你们", "我们", "他们", "她们", "这个", "那个", "这样", "那样", "大概", "到底", "然后",
        "但是", "因为", "所以", "如果", "或者", "比如", "帮我", "给我", "告诉", "一个", "一些", "应该", "真的", "需要",
        "今天", "明天", "昨天", "后天", "前天", "今年", "去年", "明年", "上午", "下午", "晚上", "早上", "中午", "刚才",
        "最近", "马上", "怎么样", "多少", "哪些", "哪个", "哪里", "什么",
    ];

    /// <summary>Weight of a numeral relative to a content character of the same rarity.</summary>
    public const double NumeralWeight = 0.3;

    public static bool Contains(string character) => Characters.Contains(character);

    public static bool IsNumeral(string character) => Numerals.Contains(character);

    /// <summary>Marks the characters of a CJK run that are function characters or part of a generic word.</summary>
    public static bool[] StopMask(IReadOnlyList<string> characters)
    {
        var mask = new bool[characters.Count];
        var text = string.Concat(characters);
        if (text.Length == characters.Count)
        {
            // One UTF-16 unit per character (no surrogate pairs): string positions are character positions.
            foreach (var word in Words)
            {
                for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + word.Length, StringComparison.Ordinal))
                {
                    for (var i = at; i < at + word.Length; i++)
                        mask[i] = true;
                }
            }
        }
        for (var i = 0; i < characters.Count; i++)
            mask[i] |= Characters.Contains(characters[i]);
        return mask;
    }
}
