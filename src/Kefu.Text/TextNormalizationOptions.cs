namespace Kefu.Text;

/// <summary>What <see cref="TextNormalizer"/> folds away before matching words in Chinese text.</summary>
[Flags]
public enum TextNormalizationOptions
{
    None = 0,

    /// <summary>Full-width ASCII forms (Ａ１！) to ASCII, the ideographic space to a space, ￥￡ and kin to ¥£.</summary>
    FoldWidth = 1,

    /// <summary>Letters to lower case (invariant culture).</summary>
    FoldCase = 2,

    /// <summary>
    /// Drop white space, punctuation, symbols (emoji included) and invisible format characters, the filler people
    /// put between characters to slip a word past a filter ("退 款", "退*款", "退\u200B款").
    /// </summary>
    RemoveSeparators = 4,

    /// <summary>Width and case folding.</summary>
    Default = FoldWidth | FoldCase,
}
