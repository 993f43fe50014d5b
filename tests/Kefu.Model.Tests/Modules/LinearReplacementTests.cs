using static TorchSharp.torch;

namespace Kefu.Model.Tests.Modules;

/// <summary>The seam LoRA (K3) and int4 layers (K8) use: linear layers found and swapped by their checkpoint names.</summary>
public sealed class LinearReplacementTests
{
    [Fact]
    public void NamedLinears_ListsEveryProjectionByItsHuggingFaceName()
    {
        using var model = TinyModels.Create(tied: false);

        var names = model.NamedLinears().Select(l => l.Key).ToList();

        names.Count.ShouldBe(2 * 7 + 1);
        names.ShouldContain("model.layers.0.self_attn.q_proj");
        names.ShouldContain("model.layers.1.mlp.down_proj");
        names.ShouldContain("lm_head");
    }

    [Fact]
    public void ReplaceLinear_WithAWrapper_IsCalledInForward_AndKeepsParameterNames()
    {
        using var model = TinyModels.Create();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(TinyModels.Ids(6, seed: 4), [1, 6]);
        var before = model.forward(ids);
        var namesBefore = model.NamedWeights().Select(w => w.Key).Order(StringComparer.Ordinal).ToList();
        Counting? wrapper = null;

        model.ReplaceLinear("model.layers.1.self_attn.v_proj", inner => wrapper = new Counting(inner));
        var after = model.forward(ids);

        wrapper!.Calls.ShouldBe(1);
        TinyModels.MaxDifference(before, after).ShouldBe(0.0);
        model.NamedWeights().Select(w => w.Key).Order(StringComparer.Ordinal).ToList().ShouldBe(
            namesBefore.Select(n => n.Replace("layers.1.self_attn.v_proj.", "layers.1.self_attn.v_proj.inner.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void ReplaceLinear_OfUnknownName_SaysWhatNamesLookLike()
    {
        using var model = TinyModels.Create();

        Should.Throw<ArgumentException>(() => model.ReplaceLinear("model.layers.0.attn.q", l => l)).Message.ShouldContain("self_attn.q_proj");
    }

    private sealed class Counting : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> inner;

        public Counting(nn.Module<Tensor, Tensor> inner) : base(nameof(Counting))
        {
            this.inner = inner;
            RegisterComponents();
        }

        public int Calls { get; private set; }

        public override Tensor forward(Tensor input)
        {
            Calls++;
            return inner.call(input);
        }
    }
}
