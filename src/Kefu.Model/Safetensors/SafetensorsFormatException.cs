namespace Kefu.Model.Safetensors;

/// <summary>
/// A safetensors file (or its index, or its fit to a model) is wrong: bad header, truncated data, missing,
/// unexpected or wrongly shaped tensors. The message names the file and the tensor.
/// </summary>
public sealed class SafetensorsFormatException : Exception
{
    public SafetensorsFormatException(string message) : base(message) { }

    public SafetensorsFormatException(string message, Exception innerException) : base(message, innerException) { }

    public SafetensorsFormatException() { }
}
