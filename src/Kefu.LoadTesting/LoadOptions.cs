namespace Kefu.LoadTesting;

/// <summary>What a load run does: how many customers, how many turns each, against which server, within what bounds.</summary>
public sealed record LoadOptions
{
    /// <summary>The Kefu server's root address (e.g. http://127.0.0.1:5180/).</summary>
    public required Uri Target { get; init; }

    /// <summary>The API key the simulated customers send.</summary>
    public required string ApiKey { get; init; }

    /// <summary>A key with the agent role, for reading the conversation log afterwards; null: <see cref="ApiKey"/>.</summary>
    public string? AgentApiKey { get; init; }

    /// <summary>Concurrent conversations.</summary>
    public int Sessions { get; init; } = 20;

    /// <summary>Customer messages per conversation.</summary>
    public int TurnsPerSession { get; init; } = 3;

    /// <summary>
    /// The questions customers ask; conversation <c>s</c> asks them from a different offset, so the mix is the same
    /// but the conversations differ.
    /// </summary>
    public IReadOnlyList<string> Questions { get; init; } = DefaultQuestions;

    /// <summary>
    /// Turns after the first go to the OpenAI-compatible endpoint with <c>stream: true</c> (and the session header),
    /// so time to first token is measured; otherwise every turn is a <c>POST /chat</c>.
    /// </summary>
    public bool Stream { get; init; }

    /// <summary>
    /// Before the clock starts, ask each question once in a throw-away conversation, so the figures are the service's
    /// steady state rather than its first-request costs (JIT, connection pools, SQLite's page cache).
    /// </summary>
    public bool WarmUp { get; init; } = true;

    /// <summary>How long one turn may take before the customer gives up on it.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The whole run's bound: turns not started by then are not sent.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A mix of the demo shop's questions: policies from the knowledge base, orders through the shop API, small talk.</summary>
    public static IReadOnlyList<string> DefaultQuestions { get; } =
    [
        "退货运费谁出？", "ORD12345到哪了", "怎么开发票？", "积分会过期吗", "能用花呗吗", "多少钱包邮",
        "金卡会员有什么好处", "帮我查查ORD12348现在是什么状态", "几点前付款当天发货", "退款多久到账",
    ];

    internal void Validate()
    {
        if (Sessions < 1 || TurnsPerSession < 1)
            throw new ArgumentException("Sessions and turns per session must be at least 1.");
        if (Questions.Count == 0 || Questions.Any(string.IsNullOrWhiteSpace))
            throw new ArgumentException("Questions must be a non-empty list of non-empty messages.");
        if (RequestTimeout <= TimeSpan.Zero || Deadline <= TimeSpan.Zero)
            throw new ArgumentException("The request timeout and the deadline must be positive.");
    }
}
