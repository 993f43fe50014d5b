namespace Kefu.Model.Configuration;

/// <summary>
/// A model folder's config.json (or generation_config.json) is unreadable, inconsistent, or asks for something this
/// implementation does not do. The message names the file and the field.
/// </summary>
public sealed class ModelConfigException : Exception
{
    public ModelConfigException(string message) : base(message) { }

    public ModelConfigException(string message, Exception innerException) : base(message, innerException) { }

    public ModelConfigException() { }
}
