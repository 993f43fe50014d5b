using Kefu.Model.Runtime;
using static TorchSharp.torch;

namespace Kefu.Model.Tests.Runtime;

[CollectionDefinition(nameof(TorchThreadsTests), DisableParallelization = true)]
public sealed class TorchThreadsCollection;

/// <summary>The thread count is process-wide, so these run alone.</summary>
[Collection(nameof(TorchThreadsTests))]
public sealed class TorchThreadsTests
{
    [Fact]
    public void OverlappingDecodePeriods_RestoreTheCountOnlyWhenTheLastEnds()
    {
        var configured = get_num_threads();

        var first = TorchThreads.SingleThreadedWhileDecoding();
        var second = TorchThreads.SingleThreadedWhileDecoding();
        get_num_threads().ShouldBe(1);
        first.Dispose();
        first.Dispose();
        get_num_threads().ShouldBe(1);
        second.Dispose();

        get_num_threads().ShouldBe(configured);
    }
}
