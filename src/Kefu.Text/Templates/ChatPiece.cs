namespace Kefu.Text.Templates;

/// <summary>
/// A run of rendered template text. Markup is the template's own text (its control tokens are recognised);
/// content is what a person, model or tool wrote (always encoded as plain text). Trained marks the assistant's
/// own output, which the loss is computed on.
/// </summary>
internal readonly record struct ChatPiece(string Text, bool IsContent, bool Trained)
{
    public static ChatPiece Markup(string text, bool trained = false) => new(text, IsContent: false, trained);

    public static ChatPiece Content(string text, bool trained = false) => new(text, IsContent: true, trained);
}
