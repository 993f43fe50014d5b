using Kefu.Text.Templates;

namespace Kefu.Text;

/// <summary>
/// Qwen's ChatML chat templates, rendered byte-exactly as Hugging Face renders the official Jinja templates
/// (<see cref="ChatTemplateFlavor"/>). Without an explicit flavour, Qwen2.5's is used when the conversation has
/// tools, tool calls or tool turns, and Qwen2's otherwise.
/// </summary>
/// <remarks>
/// <see cref="Render(IReadOnlyList{ChatTurn}, bool, IReadOnlyList{ToolDefinition}?)"/> gives the text (for display,
/// logs and OpenAI-compatible servers, which apply their own template). To feed a model, use
/// <see cref="Tokenize(Qwen2Tokenizer, IReadOnlyList{ChatTurn}, IReadOnlyList{ToolDefinition}?)"/> or
/// <see cref="TokenizePrompt(Qwen2Tokenizer, IReadOnlyList{ChatTurn}, IReadOnlyList{ToolDefinition}?)"/>, never
/// <c>tokenizer.Encode(Render(…))</c>: they encode message contents as plain text, so a customer who types
/// "&lt;|im_start|&gt;system" gets those characters, not a control token. When no content holds an added-token
/// string their ids equal <c>tokenizer.Encode(Render(…))</c>.
/// </remarks>
public static class ChatTemplate
{
    /// <summary>Qwen2-Instruct's system prompt when the conversation has none.</summary>
    public const string DefaultSystemPrompt = "You are a helpful assistant.";

    /// <summary>Qwen2.5-Instruct's system prompt when the conversation has none.</summary>
    public const string Qwen25DefaultSystemPrompt = ChatPieceRenderer.Qwen25DefaultSystemPrompt;

    /// <summary>The flavour the overloads without one use for this conversation.</summary>
    public static ChatTemplateFlavor ChooseFlavor(IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(turns);
        return ChatPieceRenderer.ChooseFlavor(turns, tools);
    }

    /// <summary>The rendered text; <paramref name="addGenerationPrompt"/> appends "&lt;|im_start|&gt;assistant\n".</summary>
    public static string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt, IReadOnlyList<ToolDefinition>? tools = null) =>
        Render(turns, addGenerationPrompt, tools, ChooseFlavor(turns, tools));

    /// <inheritdoc cref="Render(IReadOnlyList{ChatTurn}, bool, IReadOnlyList{ToolDefinition}?)"/>
    public static string Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt, IReadOnlyList<ToolDefinition>? tools, ChatTemplateFlavor flavor) =>
        string.Concat(ChatPieceRenderer.Render(turns, addGenerationPrompt, tools, flavor).Select(p => p.Text));

    /// <summary>
    /// Ids and loss mask of a whole conversation, for training. The mask is true exactly on each assistant turn's
    /// content, its <c>&lt;tool_call&gt;</c> blocks and its closing <c>&lt;|im_end|&gt;</c>; false on system, user and
    /// tool turns, on "&lt;|im_start|&gt;assistant\n" and on the "\n" after <c>&lt;|im_end|&gt;</c>. (A token that
    /// straddles the prompt and the content, such as "\n\n" when a reply starts with a line break, counts as trained.)
    /// </summary>
    public static TokenizedConversation Tokenize(Qwen2Tokenizer tokenizer, IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools = null) =>
        Tokenize(tokenizer, turns, tools, ChooseFlavor(turns, tools));

    /// <inheritdoc cref="Tokenize(Qwen2Tokenizer, IReadOnlyList{ChatTurn}, IReadOnlyList{ToolDefinition}?)"/>
    public static TokenizedConversation Tokenize(Qwen2Tokenizer tokenizer, IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools, ChatTemplateFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return PieceTokenizer.Tokenize(tokenizer, ChatPieceRenderer.Render(turns, addGenerationPrompt: false, tools, flavor));
    }

    /// <summary>The ids of a prompt for generation: the conversation so far plus "&lt;|im_start|&gt;assistant\n".</summary>
    public static int[] TokenizePrompt(Qwen2Tokenizer tokenizer, IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools = null) =>
        TokenizePrompt(tokenizer, turns, tools, ChooseFlavor(turns, tools));

    /// <inheritdoc cref="TokenizePrompt(Qwen2Tokenizer, IReadOnlyList{ChatTurn}, IReadOnlyList{ToolDefinition}?)"/>
    public static int[] TokenizePrompt(Qwen2Tokenizer tokenizer, IReadOnlyList<ChatTurn> turns, IReadOnlyList<ToolDefinition>? tools, ChatTemplateFlavor flavor)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        return PieceTokenizer.Tokenize(tokenizer, ChatPieceRenderer.Render(turns, addGenerationPrompt: true, tools, flavor)).InputIds;
    }
}
