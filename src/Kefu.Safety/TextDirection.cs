namespace Kefu.Safety;

/// <summary>Which way text flows: from the customer to the model, or from the model to the customer.</summary>
public enum TextDirection
{
    /// <summary>The customer's message.</summary>
    Input,

    /// <summary>The model's reply.</summary>
    Output,
}
