using System.Text.RegularExpressions;
using Kefu.Model.Modules;

namespace Kefu.Model.Lora;

/// <summary>
/// Chooses the linear layers an adapter wraps, as PEFT does: a target name matches a module whose full name equals
/// it or ends with "." + it ("q_proj" → every layer's self_attn.q_proj); a name with regex characters must match
/// the whole module name; "all-linear" takes every linear layer but the output head.
/// </summary>
public static class LoraTargets
{
    private static readonly System.Buffers.SearchValues<char> RegexCharacters = System.Buffers.SearchValues.Create("*()[]|\\^$+?{");

    /// <summary>Full names of the targeted layers in model order; a target that matches nothing is an error naming the choices.</summary>
    public static IReadOnlyList<string> Select(Qwen2ForCausalLM model, IReadOnlyList<string> targets)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(targets);
        var linears = model.NamedLinears().Select(l => l.Key).Where(n => n != "lm_head").ToList();
        if (targets.Count == 1 && targets[0] == LoraConfig.AllLinear)
            return linears;

        var selected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            var matches = linears.Where(name => Matches(name, target)).ToList();
            if (matches.Count == 0)
            {
                var choices = linears.Select(n => n[(n.LastIndexOf('.') + 1)..]).Distinct();
                throw new LoraFormatException($"Target module '{target}' matches no linear layer of this model; choose from {string.Join(", ", choices)} or {LoraConfig.AllLinear}.");
            }
            selected.UnionWith(matches);
        }
        return linears.Where(selected.Contains).ToList();
    }

    internal static bool Matches(string fullName, string target) =>
        target.AsSpan().IndexOfAny(RegexCharacters) >= 0
            ? Regex.IsMatch(fullName, $"^(?:{target})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))
            : fullName == target || fullName.EndsWith("." + target, StringComparison.Ordinal);
}
