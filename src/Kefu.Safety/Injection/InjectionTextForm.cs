namespace Kefu.Safety.Injection;

/// <summary>The normalised forms of a message that injection rules run on.</summary>
public enum InjectionTextForm
{
    /// <summary>
    /// Width- and case-folded, with spaces, symbols and filler punctuation removed but sentence punctuation kept
    /// (。，！？；：), so "忽 略*之前的指令" reads as "忽略之前的指令" while a rule's gap cannot run across sentences.
    /// For Chinese rules.
    /// </summary>
    Compact,

    /// <summary>Width- and case-folded with runs of white space collapsed to one space. For English rules.</summary>
    Spaced,
}
