namespace Kefu.LoadTesting;

/// <summary>How the <see cref="FakeModelServer"/> misbehaves on chat completions.</summary>
public enum FakeModelFault
{
    /// <summary>Answers normally, with the configured latency.</summary>
    None,

    /// <summary>Answers 500 with an error body, as an overloaded or crashed inference server does.</summary>
    ServerError,

    /// <summary>Answers 200 with a body that is not JSON.</summary>
    InvalidJson,

    /// <summary>Streams a few tokens, then closes the connection without a finish chunk or <c>[DONE]</c>.</summary>
    TruncatedStream,

    /// <summary>Accepts the request and never answers (until the client gives up).</summary>
    Hang,
}
