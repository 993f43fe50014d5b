namespace Kefu.Text;

/// <summary>The two ChatML templates Kefu renders byte-exactly.</summary>
public enum ChatTemplateFlavor
{
    /// <summary>
    /// Qwen2-Instruct's template: default system prompt "You are a helpful assistant."; no tool format.
    /// </summary>
    Qwen2,

    /// <summary>
    /// Qwen2.5-Instruct's template: Hermes-style tools (<c>&lt;tools&gt;</c> in the system turn, <c>&lt;tool_call&gt;</c>
    /// blocks, tool results as <c>&lt;tool_response&gt;</c> in a user turn); default system prompt
    /// "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
    /// </summary>
    Qwen25,
}
