using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Kefu.Model.Modules;

/// <summary>The token embedding table [vocab, hidden] (model.embed_tokens), allocated uninitialised like <see cref="DenseLinear"/>.</summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    public TokenEmbedding(long vocabSize, long hiddenSize, ScalarType dtype, Device device) : base(nameof(TokenEmbedding))
    {
        weight = new Parameter(empty([vocabSize, hiddenSize], dtype, device), requires_grad: false);
        register_parameter("weight", weight);
    }

    public Parameter weight { get; }

    /// <summary>Looks up ids of any shape; the result has one more dimension, the hidden size.</summary>
    public override Tensor forward(Tensor inputIds)
    {
        var rows = weight.index_select(0, inputIds.reshape(-1));
        return rows.reshape([.. inputIds.shape, weight.shape[1]]);
    }

    protected override void RegisterComponents() { }
}
