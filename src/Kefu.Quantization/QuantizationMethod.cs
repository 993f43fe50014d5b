namespace Kefu.Quantization;

/// <summary>How weights are rounded: GPTQ with error compensation, or plain round-to-nearest.</summary>
public enum QuantizationMethod
{
    Gptq,
    Rtn,
}
