namespace Kefu.Model.Lora;

/// <summary>An adapter folder that cannot be used as it is; the message names the file and field.</summary>
public sealed class LoraFormatException : Exception
{
    public LoraFormatException() { }

    public LoraFormatException(string message) : base(message) { }

    public LoraFormatException(string message, Exception inner) : base(message, inner) { }
}
