using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Kefu.Text;

namespace Kefu.Safety.Words;

/// <summary>
/// Aho-Corasick automaton over a double-array trie, with normalisation folded into a character-class table so a
/// scan reads each character once and allocates nothing. Immutable after construction: a reload builds a new one.
/// </summary>
/// <remarks>
/// <para>Character classes: every UTF-16 code unit maps through one 64K table to <see cref="SkipClass"/> (a
/// separator that <see cref="TextNormalizer"/> drops: space, punctuation, symbols, zero-width), to 0 (a character no
/// pattern uses: the automaton returns to the root), or to the class of its folded form (Ａ, A and a share one).</para>
/// <para>Transitions: the root has a dense row (most characters of ordinary text start there); other states use
/// base/check arrays, so memory grows with the number of states rather than states × alphabet.</para>
/// <para>Repeated characters: a character equal to the previous one that does not extend the current partial match
/// is skipped, so 敏敏感感 matches 敏感 while a listed 咪咪 still needs both characters (the trie has that child).</para>
/// </remarks>
internal sealed class WordAutomaton
{
    /// <summary>Folding used for patterns and text alike.</summary>
    public const TextNormalizationOptions Folding =
        TextNormalizationOptions.FoldWidth | TextNormalizationOptions.FoldCase | TextNormalizationOptions.RemoveSeparators;

    /// <summary>The longest pattern accepted, in normalised characters (bounds the scan's ring buffer).</summary>
    public const int MaxPatternLength = 128;

    public const ushort SkipClass = 0xFFFF;
    public const ushort SurrogateClass = 0xFFFE;

    private readonly ushort[] _classOf;
    private readonly int[] _rootNext;
    private readonly int[] _base;
    private readonly int[] _check;
    private readonly int[] _fail;
    private readonly int[] _extendDepth;
    private readonly int[] _outputStart;
    private readonly int[] _outputs;
    private readonly int _ringSize;

    internal WordAutomaton(
        IReadOnlyList<WordPattern> patterns, ushort[] classOf, int[] rootNext, int[] @base, int[] check, int[] fail,
        int[] extendDepth, int[] outputStart, int[] outputs)
    {
        Patterns = patterns;
        _classOf = classOf;
        _rootNext = rootNext;
        _base = @base;
        _check = check;
        _fail = fail;
        _extendDepth = extendDepth;
        _outputStart = outputStart;
        _outputs = outputs;
        LongestPattern = patterns.Count == 0 ? 0 : patterns.Max(p => p.Length);
        _ringSize = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(LongestPattern, 1));
    }

    public IReadOnlyList<WordPattern> Patterns { get; }

    public int LongestPattern { get; }

    public int StateCount => _fail.Length;

    /// <summary>The character class of <paramref name="c"/> (a BMP code unit).</summary>
    public int ClassOf(char c) => _classOf[c];

    /// <summary>
    /// Scans <paramref name="text"/> from the root and appends every pattern occurrence to <paramref name="matches"/>.
    /// <paramref name="previousClass"/> is the class of the character before the text (for the repeat rule).
    /// </summary>
    public ScanEnd Scan(ReadOnlySpan<char> text, int previousClass, List<RawMatch> matches)
    {
        Span<int> ring = stackalloc int[_ringSize];
        var mask = _ringSize - 1;
        int state = 0, previous = previousClass, consumed = 0;
        ref var classes = ref MemoryMarshal.GetArrayDataReference(_classOf);
        var rootNext = _rootNext;
        var bases = _base;
        var check = _check;
        var fail = _fail;
        var outputStart = _outputStart;

        for (var i = 0; i < text.Length; i++)
        {
            int cls = Unsafe.Add(ref classes, text[i]);
            var width = 1;
            if (cls >= SurrogateClass)
            {
                if (cls == SkipClass)
                    continue;
                cls = ClassOfSurrogate(text, i, out width);
                if (cls == SkipClass)
                {
                    i += width - 1;
                    continue;
                }
            }
            if (cls == 0)
            {
                // A character no pattern uses: every partial match breaks here.
                state = 0;
                previous = 0;
                i += width - 1;
                continue;
            }

            int next;
            if (state == 0)
            {
                next = rootNext[cls];
            }
            else
            {
                var t = bases[state] + cls;
                if (check[t] == state)
                {
                    next = t;
                }
                else
                {
                    if (cls == previous)
                        continue; // a stutter (敏敏感): a repeat that extends nothing is not consumed
                    var s = fail[state];
                    while (true)
                    {
                        if (s == 0)
                        {
                            next = rootNext[cls];
                            break;
                        }
                        t = bases[s] + cls;
                        if (check[t] == s)
                        {
                            next = t;
                            break;
                        }
                        s = fail[s];
                    }
                }
            }

            previous = cls;
            ring[consumed & mask] = i;
            consumed++;
            state = next;
            if (outputStart[next] != outputStart[next + 1])
                Report(next, consumed, i + width, ring, matches);
            i += width - 1;
        }

        var held = _extendDepth[state];
        return held == 0
            ? new ScanEnd(text.Length, consumed, previous)
            : new ScanEnd(ring[(consumed - held) & mask], consumed - held, previous);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Report(int state, int consumed, int end, Span<int> ring, List<RawMatch> matches)
    {
        var mask = _ringSize - 1;
        for (var o = _outputStart[state]; o < _outputStart[state + 1]; o++)
        {
            var pattern = _outputs[o];
            var length = Patterns[pattern].Length;
            matches.Add(new RawMatch(pattern, ring[(consumed - length) & mask], end, consumed - length, consumed));
        }
    }

    /// <summary>
    /// A surrogate pair folds as one character: an emoji is a separator (skipped), anything else is a character no
    /// pattern uses (patterns are BMP-only). A lone surrogate folds to U+FFFD, a symbol, as in the normaliser.
    /// </summary>
    private static int ClassOfSurrogate(ReadOnlySpan<char> text, int i, out int width)
    {
        width = 1;
        if (!char.IsHighSurrogate(text[i]) || i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
            return SkipClass;
        width = 2;
        return TextNormalizer.TryFold(new Rune(text[i], text[i + 1]), Folding, out _) ? 0 : SkipClass;
    }
}
