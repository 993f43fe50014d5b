using System.Text;
using Kefu.Text;

namespace Kefu.Safety.Words;

/// <summary>
/// Builds a <see cref="WordAutomaton"/>: a trie over character classes, failure links by breadth-first search, then
/// the trie laid out in base/check arrays (first fit) with the root's row kept dense.
/// </summary>
internal static class WordAutomatonBuilder
{
    public static WordAutomaton Build(IReadOnlyList<WordPattern> patterns)
    {
        var (classOfChar, classCount) = Alphabet(patterns);
        var classOf = ClassTable(classOfChar);

        // Trie over classes; node 0 is the root.
        var children = new List<Dictionary<int, int>> { new() };
        var own = new List<List<int>?> { null };
        var depth = new List<int> { 0 };
        for (var p = 0; p < patterns.Count; p++)
        {
            var node = 0;
            foreach (var c in patterns[p].Normalized)
            {
                var cls = classOfChar[c];
                if (!children[node].TryGetValue(cls, out var child))
                {
                    child = children.Count;
                    children[node][cls] = child;
                    children.Add([]);
                    own.Add(null);
                    depth.Add(depth[node] + 1);
                }
                node = child;
            }
            (own[node] ??= []).Add(p);
        }

        var nodeCount = children.Count;
        var order = BreadthFirst(children);
        var fail = FailureLinks(children, order);
        var slotOf = LayOut(children, order, classCount, out var bases, out var slotCount);

        var check = new int[slotCount + classCount];
        Array.Fill(check, -1);
        var rootNext = new int[classCount];
        var slotBase = new int[slotCount + 1];
        var slotFail = new int[slotCount + 1];
        var extendDepth = new int[slotCount + 1];
        var outputsOf = new List<int>[nodeCount];
        foreach (var node in order)
        {
            foreach (var (cls, child) in children[node])
            {
                if (node == 0)
                    rootNext[cls] = slotOf[child];
                check[slotOf[child]] = slotOf[node];
            }
            slotBase[slotOf[node]] = bases[node];
            slotFail[slotOf[node]] = slotOf[fail[node]];
            // Failure targets are shallower, so they were visited first.
            outputsOf[node] = node == 0 ? [] : [.. own[node] ?? [], .. outputsOf[fail[node]]];
            extendDepth[slotOf[node]] = children[node].Count > 0 ? depth[node] : node == 0 ? 0 : extendDepth[slotOf[fail[node]]];
        }

        // Outputs by slot, flattened; one extra entry so outputStart[s + 1] exists for every slot.
        var outputStart = new int[slotCount + 2];
        var outputs = new List<int>();
        var nodeAtSlot = new int[slotCount + 1];
        Array.Fill(nodeAtSlot, -1);
        for (var node = 0; node < nodeCount; node++)
            nodeAtSlot[slotOf[node]] = node;
        for (var slot = 0; slot <= slotCount; slot++)
        {
            outputStart[slot] = outputs.Count;
            if (nodeAtSlot[slot] >= 0)
                outputs.AddRange(outputsOf[nodeAtSlot[slot]]);
        }
        outputStart[slotCount + 1] = outputs.Count;

        return new WordAutomaton(patterns, classOf, rootNext, slotBase, check, slotFail, extendDepth, outputStart, [.. outputs]);
    }

    /// <summary>Class 1.. for each distinct character the patterns use; 0 is "any other character".</summary>
    private static (Dictionary<char, int> ClassOfChar, int ClassCount) Alphabet(IReadOnlyList<WordPattern> patterns)
    {
        var classOfChar = new Dictionary<char, int>();
        foreach (var pattern in patterns)
        {
            foreach (var c in pattern.Normalized)
            {
                if (!classOfChar.ContainsKey(c))
                    classOfChar[c] = classOfChar.Count + 1;
            }
        }
        if (classOfChar.Count >= WordAutomaton.SurrogateClass - 1)
            throw new InvalidOperationException($"The lexicon uses {classOfChar.Count} distinct characters; at most {WordAutomaton.SurrogateClass - 2} are supported.");
        return (classOfChar, classOfChar.Count + 1);
    }

    /// <summary>
    /// Folds every BMP code unit once, with the normaliser's own per-character rule, into the class it matches as.
    /// </summary>
    private static ushort[] ClassTable(Dictionary<char, int> classOfChar)
    {
        var table = new ushort[char.MaxValue + 1];
        for (var c = 0; c <= char.MaxValue; c++)
        {
            if (char.IsSurrogate((char)c))
            {
                table[c] = WordAutomaton.SurrogateClass;
                continue;
            }
            if (!TextNormalizer.TryFold(new Rune(c), WordAutomaton.Folding, out var folded))
            {
                table[c] = WordAutomaton.SkipClass;
                continue;
            }
            table[c] = folded.IsBmp && classOfChar.TryGetValue((char)folded.Value, out var cls) ? (ushort)cls : (ushort)0;
        }
        return table;
    }

    private static List<int> BreadthFirst(List<Dictionary<int, int>> children)
    {
        var order = new List<int>(children.Count) { 0 };
        for (var i = 0; i < order.Count; i++)
            order.AddRange(children[order[i]].OrderBy(kv => kv.Key).Select(kv => kv.Value));
        return order;
    }

    private static int[] FailureLinks(List<Dictionary<int, int>> children, List<int> order)
    {
        var fail = new int[children.Count];
        foreach (var node in order)
        {
            foreach (var (cls, child) in children[node])
            {
                if (node == 0)
                    continue; // the root's children fail to the root (0)
                var f = fail[node];
                while (true)
                {
                    if (children[f].TryGetValue(cls, out var target))
                    {
                        fail[child] = target;
                        break;
                    }
                    if (f == 0)
                        break;
                    f = fail[f];
                }
            }
        }
        return fail;
    }

    /// <summary>
    /// Places every node in a slot. The root's children take any free slot (the root reads a dense row); every other
    /// node with children gets the first base b at which all of b + class are free.
    /// </summary>
    private static int[] LayOut(List<Dictionary<int, int>> children, List<int> order, int classCount, out int[] bases, out int slotCount)
    {
        var slotOf = new int[children.Count];
        bases = new int[children.Count];
        var used = new bool[Math.Max(16, children.Count * 2)];
        used[0] = true; // the root
        var firstFree = 1;
        var highest = 0;

        void Use(int slot)
        {
            if (slot >= used.Length)
                Array.Resize(ref used, Math.Max(used.Length * 2, slot + 1));
            used[slot] = true;
            highest = Math.Max(highest, slot);
            while (firstFree < used.Length && used[firstFree])
                firstFree++;
        }

        bool Fits(int b, int[] classes)
        {
            foreach (var c in classes)
            {
                if (b + c < used.Length && used[b + c])
                    return false;
            }
            return true;
        }

        foreach (var child in children[0].OrderBy(kv => kv.Key).Select(kv => kv.Value))
        {
            slotOf[child] = firstFree;
            Use(firstFree);
        }

        foreach (var node in order)
        {
            if (node == 0 || children[node].Count == 0)
                continue;
            var classes = children[node].Keys.Order().ToArray();
            // Try bases that put the first child on a free slot; most nodes have one child and fit at once.
            var b = Math.Max(1, firstFree - classes[0]);
            while (!Fits(b, classes))
            {
                b++;
                while (b + classes[0] < used.Length && used[b + classes[0]])
                    b++;
            }
            bases[node] = b;
            foreach (var cls in classes)
            {
                slotOf[children[node][cls]] = b + cls;
                Use(b + cls);
            }
        }
        slotCount = Math.Max(highest + 1, bases.Length == 0 ? 1 : bases.Max() + classCount);
        return slotOf;
    }
}
