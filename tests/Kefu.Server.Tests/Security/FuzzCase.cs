namespace Kefu.Server.Tests.Security;

/// <summary>One malformed request: what is sent, and a label saying what kind of malformation it is.</summary>
internal sealed record FuzzCase(string Kind, string Method, string Path, byte[]? Body, string? ContentType, string? ApiKey, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public override string ToString()
    {
        var preview = Body is null ? "" : " body " + (Body.Length > 80 ? $"{Body.Length} bytes" : Convert.ToHexString(Body));
        return $"[{Kind}] {Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} ({ContentType ?? "no content type"}){preview}";
    }
}
