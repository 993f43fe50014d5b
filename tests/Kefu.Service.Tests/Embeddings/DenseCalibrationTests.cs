using Kefu.Service.Embeddings;

namespace Kefu.Service.Tests.Embeddings;

public sealed class DenseCalibrationTests
{
    [Theory]
    [InlineData(0.2, 0.0)]
    [InlineData(0.5, 0.0)]
    [InlineData(0.7, 0.5)]
    [InlineData(0.9, 1.0)]
    [InlineData(0.99, 1.0)]
    public void Confidence_CosineBetweenUnrelatedAndEquivalent_IsLinearAndClamped(double cosine, double expected) =>
        new DenseCalibration { Unrelated = 0.5, Equivalent = 0.9 }.Confidence(cosine).ShouldBe(expected, 1e-9);
}
