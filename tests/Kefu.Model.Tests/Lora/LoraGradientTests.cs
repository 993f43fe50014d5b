using Kefu.Model.Lora;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Lora;

public sealed class LoraGradientTests
{
    [Fact]
    public void Backward_LoraParameters_MatchCentralFiniteDifferences()
    {
        using var model = TinyModels.Create(dtype: ScalarType.Float64);
        using var adapter = LoraAdapter.Attach(model, new LoraConfig { TargetModules = ["q_proj", "v_proj", "down_proj"], Rank = 4, Dropout = 0 }, seed: 2);
        LoraLayerTests.Randomise(adapter, seed: 4);
        using var ids = tensor(TinyModels.Ids(10, seed: 11)).unsqueeze(0);
        using var targets = tensor(TinyModels.Ids(10, seed: 12));

        Tensor Loss() => nn.functional.cross_entropy(model.forward(ids).squeeze(0), targets);

        using (var loss = Loss())
            loss.backward();

        var probes = new Random(1);
        using var noGrad = no_grad();
        foreach (var parameter in adapter.TrainableParameters().Where((_, i) => i % 2 == 0 || i == 1))
        {
            using var flat = parameter.view(-1);
            using var grad = parameter.grad!.view(-1);
            // The largest gradient entry and two random ones. RMSNorm computes in float32 even on a float64 model (as
            // transformers does), which limits finite differences to about 1e-4; hence h = 1e-3 and a 1% tolerance.
            var largest = (int)grad.abs().argmax().item<long>();
            grad[largest].abs().item<double>().ShouldBeGreaterThan(1e-2);
            foreach (var index in new[] { largest, probes.Next((int)flat.shape[0]), probes.Next((int)flat.shape[0]) })
            {
                var original = flat[index].item<double>();
                const double h = 1e-3;
                flat[index] = original + h;
                var plus = Loss().item<double>();
                flat[index] = original - h;
                var minus = Loss().item<double>();
                flat[index] = original;
                var numeric = (plus - minus) / (2 * h);
                var analytic = grad[index].item<double>();
                Math.Abs(numeric - analytic).ShouldBeLessThan(1e-3 + 1e-2 * Math.Abs(numeric), $"[{index}] numeric {numeric}, autograd {analytic}");
            }
        }
    }
}
