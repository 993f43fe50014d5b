namespace Kefu.Safety.Words;

/// <summary>
/// A named group of listed words with its severity and what to do when one of them appears, separately for the
/// customer's input and the model's output: a customer who asks "能加微信吗" is not a threat, a reply that says
/// "加微信" is.
/// </summary>
/// <param name="Name">The category's name as it appears in hits and metrics ("abuse", "ads").</param>
/// <param name="Severity">1 (mild) to 5 (severe); orders categories when a word is listed in several.</param>
/// <param name="InputAction">What to do with a customer message that contains one of the words.</param>
/// <param name="OutputAction">What to do with a reply that contains one of the words.</param>
public sealed record WordCategory(string Name, int Severity, SafetyAction InputAction, SafetyAction OutputAction)
{
    /// <summary>The lowest and highest severity a category may have.</summary>
    public const int MinSeverity = 1, MaxSeverity = 5;

    /// <summary>A category that acts the same way on input and output.</summary>
    public WordCategory(string name, int severity, SafetyAction action)
        : this(name, severity, action, action)
    {
    }

    /// <summary>The action for text flowing in <paramref name="direction"/>.</summary>
    public SafetyAction ActionFor(TextDirection direction) => direction == TextDirection.Input ? InputAction : OutputAction;

    /// <summary>The stronger of two categories: the stronger action on either side first, then the severity.</summary>
    internal static WordCategory Stronger(WordCategory a, WordCategory b)
    {
        var actionA = (SafetyAction)Math.Max((int)a.InputAction, (int)a.OutputAction);
        var actionB = (SafetyAction)Math.Max((int)b.InputAction, (int)b.OutputAction);
        if (actionA != actionB)
            return actionA > actionB ? a : b;
        return b.Severity > a.Severity ? b : a;
    }
}
