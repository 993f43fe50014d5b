using System.ComponentModel.DataAnnotations;

namespace Kefu.Service.Guarding;

/// <summary>Where the guards' word lists come from and how the guards act. Part of <see cref="KefuServiceOptions"/>.</summary>
public sealed class GuardrailOptions
{
    /// <summary>
    /// The lexicon manifest (see Kefu.Safety's LexiconLoader, e.g. samples/ecommerce/safety/lexicon.json); reloaded when
    /// its files change. Null: no listed words (prompt-injection heuristics and reply anomaly checks still run).
    /// </summary>
    public string? LexiconPath { get; set; }

    /// <summary>How often the lexicon files are checked for changes.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LexiconPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A customer message blocked for a word of this severity or higher (1–5) hands the conversation to a person
    /// (a safety event); milder blocked words only ask the customer to rephrase.
    /// </summary>
    [Range(1, 6)]
    public int HandoffSeverity { get; set; } = 5;
}
