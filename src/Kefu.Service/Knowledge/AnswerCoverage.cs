namespace Kefu.Service.Knowledge;

/// <summary>
/// The confidence measure behind "I don't know": the rarity-weighted share of a question's content characters
/// that a chunk explains. A character is explained when the chunk contains a bigram the question forms with it
/// (or, for a one-character run, the character itself); a character the chunk merely contains elsewhere earns
/// <see cref="LooseCharacterCredit"/>. Weights are the characters' BM25 IDF in the knowledge base, so rare,
/// topical characters (股, 票) decide the score and common ones barely move it. Raw BM25 cannot play this role:
/// its scale changes with the query's length and terms, so no fixed threshold would hold across questions.
/// </summary>
internal static class AnswerCoverage
{
    /// <summary>Partial credit for a character found in the chunk without a matching bigram (a paraphrase such as 理赔/怎么赔).</summary>
    public const double LooseCharacterCredit = 0.3;

    /// <summary>
    /// Extra weight of a character the knowledge base never uses: a question built on one (股票, 天气) is about
    /// something the knowledge base does not cover, however well its other characters match.
    /// </summary>
    public const double UnknownCharacterBoost = 3.0;

    public static double Compute(IReadOnlyList<TextRun> queryRuns, IReadOnlySet<string> chunkTerms, Func<string, double> weightOf)
    {
        double explained = 0, total = 0;
        foreach (var run in queryRuns)
        {
            if (!run.IsCjk)
            {
                var word = run.Characters[0];
                var weight = weightOf(word) * (word.All(char.IsAsciiDigit) ? QueryStopCharacters.NumeralWeight : 1);
                total += weight;
                if (chunkTerms.Contains(word))
                    explained += weight;
                continue;
            }
            var characters = run.Characters;
            var stop = QueryStopCharacters.StopMask(characters);
            for (var i = 0; i < characters.Count; i++)
            {
                var character = characters[i];
                if (stop[i])
                    continue;
                var weight = weightOf(character) * (QueryStopCharacters.IsNumeral(character) ? QueryStopCharacters.NumeralWeight : 1);
                total += weight;
                var byBigram =
                    (characters.Count == 1 && chunkTerms.Contains(character))
                    || (i > 0 && chunkTerms.Contains(characters[i - 1] + character))
                    || (i + 1 < characters.Count && chunkTerms.Contains(character + characters[i + 1]));
                if (byBigram)
                    explained += weight;
                else if (chunkTerms.Contains(character))
                    explained += weight * LooseCharacterCredit;
            }
        }
        return total <= 0 ? 0 : explained / total;
    }

    /// <summary>BM25's inverse document frequency (as Lucene and FTS5 compute it), never negative.</summary>
    public static double InverseDocumentFrequency(long documentFrequency, long documentCount) =>
        Math.Log(1 + ((documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5)));

    /// <summary>A term's weight in <see cref="Compute"/>: its IDF, boosted when the knowledge base never uses it.</summary>
    public static double Weight(long documentFrequency, long documentCount) =>
        InverseDocumentFrequency(documentFrequency, documentCount) * (documentFrequency == 0 ? UnknownCharacterBoost : 1);

    /// <summary>The distinct terms whose rarity <see cref="Compute"/> will ask for.</summary>
    public static IEnumerable<string> WeightedTerms(IReadOnlyList<TextRun> queryRuns) =>
        queryRuns.SelectMany(run => run.IsCjk ? run.Characters.Where((_, i) => !QueryStopCharacters.StopMask(run.Characters)[i]) : run.Characters)
            .Distinct(StringComparer.Ordinal);
}
