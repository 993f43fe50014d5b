using Kefu.Learning.Tests.Support;

// One tiny model and its two deliberate adapters for the whole assembly: training the good one takes seconds.
[assembly: AssemblyFixture(typeof(TinyLearningSetup))]
