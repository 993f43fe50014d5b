using Kefu.Safety.Words;

namespace Kefu.Safety.Tests;

/// <summary>Small in-code lexicons for unit tests.</summary>
internal static class TestLexicons
{
    public static readonly WordCategory Abuse = new("abuse", 3, SafetyAction.Block);
    public static readonly WordCategory Ads = new("ads", 1, SafetyAction.Flag);
    public static readonly WordCategory Contact = new("contact_bait", 3, SafetyAction.Flag, SafetyAction.Mask);

    public static SensitiveWordMatcher Matcher(
        IEnumerable<string>? abuse = null, IEnumerable<string>? ads = null, IEnumerable<string>? contact = null, IEnumerable<string>? whitelist = null)
    {
        var builder = new LexiconBuilder();
        if (abuse is not null)
            builder.Add(Abuse, abuse);
        if (ads is not null)
            builder.Add(Ads, ads);
        if (contact is not null)
            builder.Add(Contact, contact);
        if (whitelist is not null)
            builder.AddWhitelist(whitelist);
        return SensitiveWordMatcher.Build(builder.Build());
    }
}
