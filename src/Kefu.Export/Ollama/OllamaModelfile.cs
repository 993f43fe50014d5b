using System.Text;

namespace Kefu.Export.Ollama;

/// <summary>
/// An Ollama Modelfile for a Qwen2 GGUF: FROM the model file (and ADAPTER a GGUF LoRA when given), the Qwen2.5
/// ChatML TEMPLATE in Ollama's Go-template syntax (system prompt, Hermes-style tools in &lt;tools&gt;, assistant
/// tool calls in &lt;tool_call&gt;, tool results as &lt;tool_response&gt; in a user turn, as Qwen2.5's own chat
/// template renders them), stop tokens &lt;|im_end|&gt; and &lt;|endoftext|&gt;, and the shop's SYSTEM prompt.
/// </summary>
public static class OllamaModelfile
{
    public const string FileName = "Modelfile";

    /// <summary>Qwen2.5's chat format written for Ollama's template engine.</summary>
    public const string Qwen25Template = """
        {{- if .Messages }}
        {{- if or .System .Tools }}<|im_start|>system
        {{- if .System }}
        {{ .System }}
        {{- end }}
        {{- if .Tools }}

        # Tools

        You may call one or more functions to assist with the user query.

        You are provided with function signatures within <tools></tools> XML tags:
        <tools>
        {{- range .Tools }}
        {"type": "function", "function": {{ .Function }}}
        {{- end }}
        </tools>

        For each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:
        <tool_call>
        {"name": <function-name>, "arguments": <args-json-object>}
        </tool_call>
        {{- end }}<|im_end|>
        {{ end }}
        {{- range $i, $_ := .Messages }}
        {{- $last := eq (len (slice $.Messages $i)) 1 -}}
        {{- if eq .Role "user" }}<|im_start|>user
        {{ .Content }}<|im_end|>
        {{ else if eq .Role "assistant" }}<|im_start|>assistant
        {{ if .Content }}{{ .Content }}
        {{- else if .ToolCalls }}<tool_call>
        {{ range .ToolCalls }}{"name": "{{ .Function.Name }}", "arguments": {{ .Function.Arguments }}}
        {{ end }}</tool_call>
        {{- end }}{{ if not $last }}<|im_end|>
        {{ end }}
        {{- else if eq .Role "tool" }}<|im_start|>user
        <tool_response>
        {{ .Content }}
        </tool_response><|im_end|>
        {{ end }}
        {{- if and (ne .Role "assistant") $last }}<|im_start|>assistant
        {{ end }}
        {{- end }}
        {{- else }}
        {{- if .System }}<|im_start|>system
        {{ .System }}<|im_end|>
        {{ end }}{{ if .Prompt }}<|im_start|>user
        {{ .Prompt }}<|im_end|>
        {{ end }}<|im_start|>assistant
        {{ end }}{{ .Response }}{{ if .Response }}<|im_end|>{{ end }}
        """;

    /// <summary>The Modelfile text. Paths are written as given (relative ones resolve against the Modelfile's folder).</summary>
    public static string Render(string modelPath, string? systemPrompt, string? adapterPath = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        var text = new StringBuilder();
        text.Append("FROM ").Append(modelPath).Append('\n');
        if (adapterPath is not null)
            text.Append("ADAPTER ").Append(adapterPath).Append('\n');
        text.Append('\n').Append("TEMPLATE \"\"\"").Append(Qwen25Template).Append("\"\"\"\n\n");
        text.Append("PARAMETER stop \"<|im_start|>\"\n");
        text.Append("PARAMETER stop \"<|im_end|>\"\n");
        text.Append("PARAMETER stop \"<|endoftext|>\"\n");
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
            text.Append("PARAMETER ").Append(key).Append(' ').Append(value).Append('\n');
        if (!string.IsNullOrWhiteSpace(systemPrompt))
        {
            if (systemPrompt.Contains("\"\"\"", StringComparison.Ordinal))
                throw new ArgumentException("The system prompt contains \"\"\", which ends a Modelfile block.", nameof(systemPrompt));
            text.Append('\n').Append("SYSTEM \"\"\"").Append(systemPrompt.Trim()).Append("\"\"\"\n");
        }
        return text.ToString();
    }

    /// <summary>Writes <see cref="Render"/>'s text atomically.</summary>
    public static void Write(string path, string modelPath, string? systemPrompt, string? adapterPath = null, IReadOnlyDictionary<string, string>? parameters = null)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        File.WriteAllText(temp, Render(modelPath, systemPrompt, adapterPath, parameters), new UTF8Encoding(false));
        File.Move(temp, full, overwrite: true);
    }
}
