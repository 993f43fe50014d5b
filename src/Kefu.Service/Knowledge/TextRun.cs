namespace Kefu.Service.Knowledge;

/// <summary>A run of CJK characters (one entry per character) or one word of letters and digits.</summary>
internal sealed record TextRun(bool IsCjk, IReadOnlyList<string> Characters)
{
    public override string ToString() => string.Concat(Characters);
}
