using Kefu.Service;
using Kefu.Service.Dialogue;
using Kefu.Service.Embeddings;
using Kefu.Service.Responding;
using Kefu.Service.Tools.Shop;

namespace Kefu.Server.Hosting;

/// <summary>How the server is set up: where it listens and keeps data, who may call it, which models it uses.</summary>
public sealed class KefuServerOptions
{
    /// <summary>Addresses to listen on.</summary>
    public List<string> Urls { get; set; } = ["http://127.0.0.1:5180"];

    /// <summary>Folder for the embedded stores (knowledge.db, sessions.db).</summary>
    public required string DataDirectory { get; set; }

    /// <summary>The accepted API keys; at least one is required.</summary>
    public List<ApiKey> ApiKeys { get; set; } = [];

    /// <summary>An OpenAI-compatible server (vLLM, llama.cpp, Ollama) to answer with; null for retrieval-only.</summary>
    public Uri? BackendUrl { get; set; }

    /// <summary>The backend's model name; null asks the backend's /v1/models for its first model.</summary>
    public string? BackendModel { get; set; }

    /// <summary>The backend's API key, when it wants one.</summary>
    public string? BackendApiKey { get; set; }

    /// <summary>A larger OpenAI-compatible model for turns after the primary one failed to answer; optional.</summary>
    public Uri? EscalationBackendUrl { get; set; }

    /// <summary>The escalation backend's model name (null: its first model).</summary>
    public string? EscalationBackendModel { get; set; }

    /// <summary>
    /// Models supplied directly (an in-process model, or a fake in tests); when set, the backend URLs are ignored.
    /// </summary>
    public ChatBackends? Backends { get; set; }

    /// <summary>
    /// An OpenAI-compatible <c>/v1/embeddings</c> server; when set, knowledge search is hybrid (BM25 fused with
    /// embeddings), and when it fails, BM25 answers alone.
    /// </summary>
    public Uri? EmbeddingsUrl { get; set; }

    /// <summary>The embedding model's name at <see cref="EmbeddingsUrl"/>; null asks its /v1/models for the first.</summary>
    public string? EmbeddingsModel { get; set; }

    /// <summary>The embeddings server's API key, when it wants one.</summary>
    public string? EmbeddingsApiKey { get; set; }

    /// <summary>An embedding source supplied directly (tests); when set, <see cref="EmbeddingsUrl"/> is ignored.</summary>
    public IEmbeddingSource? Embeddings { get; set; }

    /// <summary>How the embedding model's cosine maps onto the knowledge confidence (model-specific).</summary>
    public DenseCalibration EmbeddingsCalibration { get; set; } = new();

    /// <summary>The model's tokenizer as a token counter (history budgets); null: a character-based estimate.</summary>
    public ITokenCounter? TokenCounter { get; set; }

    /// <summary>Files and folders imported into the knowledge base at start-up (unchanged files are skipped).</summary>
    public List<string> KnowledgePaths { get; set; } = [];

    /// <summary>
    /// The name of the service's meter, exported on /metrics. Keep the default; tests that run several servers in one
    /// process give each its own (see <see cref="Kefu.Service.Diagnostics.ServiceMetrics"/>).
    /// </summary>
    public string MeterName { get; set; } = Kefu.Service.Diagnostics.ServiceMetrics.MeterName;

    /// <summary>Largest accepted request body, in bytes.</summary>
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;

    /// <summary>Requests per minute each API key may make (with bursts up to the same number).</summary>
    public int RequestsPerMinutePerKey { get; set; } = 120;

    /// <summary>People who sign in to the agent console (/agent) and, with <see cref="Auth.AgentAccount.Admin"/>, the dashboard.</summary>
    public List<Auth.AgentAccount> AgentAccounts { get; set; } = [];

    /// <summary>
    /// Whether the public customer channel (the chat page, the widget and /api/customer) is open. It needs no API key:
    /// a conversation's random id is its capability, and each client address is rate-limited.
    /// </summary>
    public bool CustomerChannel { get; set; } = true;

    /// <summary>Customer messages per minute per client address on the public channel (reads get four times as many).</summary>
    public int CustomerMessagesPerMinute { get; set; } = 20;

    /// <summary>
    /// The most messages a customer may send in one conversation (sets <see cref="KefuServiceOptions.MaxCustomerTurns"/>;
    /// <see cref="ConfigureService"/> runs after and may change it). Beyond it the chat page's customer is told and handed
    /// to a person; <c>/chat</c> and <c>/v1/chat/completions</c> answer 409/400 naming the limit. Messages are already
    /// bounded in length by <see cref="KefuServiceOptions.MaxMessageCharacters"/> and <see cref="MaxRequestBodyBytes"/>.
    /// </summary>
    public int MaxCustomerTurns { get; set; } = 200;

    /// <summary>Questions offered as one-tap buttons in the customer chat.</summary>
    public List<string> QuickReplies { get; set; } = [];

    /// <summary>How often the agent queue is re-read for its live feed (changes made here are pushed at once).</summary>
    public TimeSpan AgentQueuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a conversation a customer follows live (<c>GET /api/customer/sessions/{id}/events</c>) is re-read, to
    /// see an agent's reply made on another replica; changes made on this one are pushed at once, and on PostgreSQL so are
    /// other replicas' (LISTEN/NOTIFY), which leaves this re-read as the safety net for a lost notification.
    /// </summary>
    public TimeSpan CustomerStreamPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a customer's live stream may stay quiet before a <c>ping</c> event keeps proxies from closing it.</summary>
    public TimeSpan CustomerStreamHeartbeat { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Customer live streams one client address may hold open at once (a few tabs); more are refused with 429.</summary>
    public int CustomerStreamsPerAddress { get; set; } = 4;

    /// <summary>Customer live streams the server holds open at once in all; more are refused with 429 (the page then polls).</summary>
    public int MaxCustomerStreams { get; set; } = 1000;

    /// <summary>
    /// A keys file (<c>kefu keys add</c>) whose active keys are accepted besides <see cref="ApiKeys"/>; it holds only
    /// the keys' SHA-256 digests. Re-read when it changes: added and revoked keys take effect within a second.
    /// </summary>
    public string? ApiKeysFile { get; set; }

    /// <summary>Timeouts and circuit breaking for the model backends (see <see cref="Resilience.ModelResilienceOptions"/>).</summary>
    public Resilience.ModelResilienceOptions ModelResilience { get; set; } = new();

    /// <summary>
    /// Web origins (scheme://host[:port]) whose pages may call the API from a browser, e.g. the shop site embedding the
    /// chat widget; empty: no cross-origin calls.
    /// </summary>
    public List<string> CorsOrigins { get; set; } = [];

    /// <summary>
    /// A PostgreSQL connection string (Npgsql format, e.g. <c>Host=db;Database=kefu;Username=kefu;Password=...</c>):
    /// sessions, the conversation log, the agent queue and the knowledge base then live there, shared by every
    /// replica. Null: the embedded SQLite files under <see cref="DataDirectory"/>.
    /// </summary>
    public string? DatabaseConnectionString { get; set; }

    /// <summary>Further settings of the brain (shop name, thresholds...).</summary>
    public Action<KefuServiceOptions>? ConfigureService { get; set; }

    /// <summary>The order system's address and call policy; no shop tools when unset.</summary>
    public Action<ShopApiOptions>? ConfigureShop { get; set; }

    /// <summary>
    /// The daily learning job (Kefu.Learning's DailyLearningJob, set by <c>kefu serve --learn-config</c>), built from the
    /// server's services; null runs no job. A factory, because Kefu.Learning builds on the server, not the reverse.
    /// </summary>
    public Func<IServiceProvider, IHostedService>? DailyLearningJob { get; set; }
}
