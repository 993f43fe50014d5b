using System.Text;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace Kefu.Server.Tests.Security;

/// <summary>
/// Seeded generator of malformed requests for an endpoint: JSON with wrong types, huge strings, invalid UTF-8, deep
/// nesting, wrong content types, bad query strings, random bytes, odd route values and headers, and a few
/// well-formed requests so the success paths run too. The same seed gives the same cases.
/// </summary>
internal sealed class FuzzCaseGenerator(Random random, IReadOnlyList<string?> apiKeys)
{
    private static readonly string[] Fields =
        ["message", "session_id", "messages", "role", "content", "stream", "model", "name", "password", "category", "word", "score", "rating", "comment", "text"];

    private static readonly string[] Questions = ["退货运费谁出？", "ORD12345到哪了", "转人工", "积分会过期吗", "你好"];

    private static readonly string[] OddSegments =
    [
        "%00", "..%2F..%2Fetc%2Fpasswd", "%E4%BD", "'%20OR%201=1%20--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%F0%9F%98%80",
        "s_0123456789abcdef0123456789abcdef", "t_00", "-1", "null", "%20", "%25", new string('a', 3000),
    ];

    private static readonly string[] BadQueries =
    [
        "limit=abc", "limit=99999999999999999999", "limit=-5", "limit=", "window=%ZZ", "window=1y", "q=" + new string('x', 5000),
        "name=..%2F..%2Fappsettings.json", "name=a.md%00.exe", "%00=%00", "limit=1&limit=2", "q=%FF%FE", "window[]=1h",
    ];

    private static readonly string[] ContentTypes =
    [
        "text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
        "application/octet-stream", "text/event-stream", "application/json; charset=utf-16",
    ];

    public FuzzCase Next(RouteEndpoint endpoint, string method)
    {
        var kind = random.Next(10);
        var key = apiKeys[random.Next(apiKeys.Count)];
        var headers = new List<KeyValuePair<string, string>>();
        var path = Path(endpoint, odd: kind == 7);
        byte[]? body = null;
        string? contentType = "application/json";
        string label;
        switch (kind)
        {
            case 0:
                label = "wrong JSON types";
                body = Utf8(WrongTypes());
                break;
            case 1:
                label = "huge string";
                var size = new[] { 2_001, 20_000, 70_000, 200_000 }[random.Next(4)];
                body = Utf8($$"""{"{{Fields[random.Next(Fields.Length)]}}":"{{new string('退', size)}}"}""");
                break;
            case 2:
                label = "invalid UTF-8";
                body = [.. Utf8("{\"message\":\""), .. InvalidUtf8(), .. Utf8("\",\"session_id\":\""), .. InvalidUtf8(), .. Utf8("\"}")];
                break;
            case 3:
                label = "deep nesting";
                var depth = new[] { 65, 300, 5_000 }[random.Next(3)];
                body = random.Next(2) == 0
                    ? Utf8(new string('[', depth) + new string(']', depth))
                    : Utf8("{\"message\":" + string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth + 1));
                break;
            case 4:
                label = "wrong content type";
                contentType = random.Next(5) == 0 ? null : ContentTypes[random.Next(ContentTypes.Length)];
                body = Utf8(contentType?.StartsWith("application/x-www", StringComparison.Ordinal) == true ? "message=%E4%BD%A0&session_id=1" : $$"""{"message":"{{Questions[0]}}"}""");
                break;
            case 5:
                label = "bad query string";
                path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + BadQueries[random.Next(BadQueries.Length)];
                body = Utf8($$"""{"message":"{{Questions[random.Next(Questions.Length)]}}"}""");
                break;
            case 6:
                label = "random bytes";
                body = new byte[random.Next(0, 4096)];
                random.NextBytes(body);
                break;
            case 7:
                label = "odd route values";
                body = Utf8($$"""{"message":"{{Questions[random.Next(Questions.Length)]}}"}""");
                break;
            case 8:
                label = "odd headers";
                headers.Add(new("X-Kefu-Session-Id", random.Next(2) == 0 ? new string('z', 5000) : "../../" + random.Next()));
                headers.Add(new("Cookie", "kefu_agent=" + Convert.ToBase64String(RandomBytes(48))));
                headers.Add(new("X-Kefu-Csrf", random.Next(2) == 0 ? "1" : "0"));
                if (random.Next(3) == 0)
                    key = "kf_" + new string('k', random.Next(1, 9000));
                body = Utf8($$"""{"stream":true,"messages":[{"role":"user","content":"{{Questions[random.Next(Questions.Length)]}}"}],"message":"你好"}""");
                break;
            default:
                label = "well-formed";
                body = Utf8(random.Next(2) == 0
                    ? $$"""{"message":"{{Questions[random.Next(Questions.Length)]}}"}"""
                    : $$"""{"stream":{{(random.Next(2) == 0 ? "true" : "false")}},"messages":[{"role":"user","content":"{{Questions[random.Next(Questions.Length)]}}"}]}""");
                break;
        }
        if (method is "GET" or "HEAD" or "DELETE" && random.Next(4) != 0)
        {
            body = null;
            contentType = null;
        }
        return new FuzzCase(label, method, path, body, body is null ? null : contentType, key, headers);
    }

    /// <summary>The endpoint's route with its parameters filled in (odd values when asked, else plausible ones).</summary>
    private string Path(RouteEndpoint endpoint, bool odd)
    {
        var path = new StringBuilder();
        foreach (var segment in endpoint.RoutePattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart when odd => OddSegments[random.Next(OddSegments.Length)],
                    RoutePatternParameterPart => "s_" + Convert.ToHexStringLower(RandomBytes(16)),
                    _ => "",
                });
            }
        }
        return path.Length == 0 ? "/" : path.ToString();
    }

    private string WrongTypes()
    {
        var fields = Enumerable.Range(0, random.Next(1, 4)).Select(_ => $"\"{Fields[random.Next(Fields.Length)]}\":{Value(0)}");
        return random.Next(6) switch
        {
            0 => Value(0),
            _ => "{" + string.Join(",", fields) + "}",
        };
    }

    private string Value(int depth) => random.Next(depth > 2 ? 6 : 9) switch
    {
        0 => "null",
        1 => random.Next(2) == 0 ? "true" : "false",
        2 => random.Next(4) == 0 ? "1e400" : random.NextInt64(long.MinValue, long.MaxValue).ToString(System.Globalization.CultureInfo.InvariantCulture),
        3 => "\"" + Questions[random.Next(Questions.Length)] + "\"",
        4 => "\"\\ud800\"",
        5 => "-0.0",
        6 => "[" + string.Join(",", Enumerable.Range(0, random.Next(4)).Select(_ => Value(depth + 1))) + "]",
        7 => "{\"role\":" + Value(depth + 1) + ",\"content\":" + Value(depth + 1) + "}",
        _ => "{\"" + Fields[random.Next(Fields.Length)] + "\":" + Value(depth + 1) + "}",
    };

    private byte[] InvalidUtf8() => random.Next(4) switch
    {
        0 => [0xC3, 0x28],
        1 => [0xFF, 0xFE, 0xFD],
        2 => [0xED, 0xA0, 0x80],
        _ => [0xE4, 0xBD],
    };

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
