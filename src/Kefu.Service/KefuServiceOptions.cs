using System.ComponentModel.DataAnnotations;

namespace Kefu.Service;

/// <summary>How the customer-service brain behaves. Bound from configuration section <c>Kefu</c>; validated at start-up.</summary>
public sealed class KefuServiceOptions
{
    /// <summary>Folder for the embedded stores (knowledge.db, sessions.db).</summary>
    [Required]
    public string DataDirectory { get; set; } = "";

    /// <summary>
    /// The knowledge confidence (<see cref="Knowledge.KnowledgeHit.Confidence"/>) at which a chunk is trusted to
    /// answer; below it the assistant says it does not know. Calibrated on the demo shop (tests/Kefu.Service.Tests,
    /// DemoKnowledgeCalibrationTests): off-topic questions score at most 0.31, direct questions 0.6–1.0, and
    /// paraphrases spread over 0.25–0.9 — below 0.35 most top hits are wrong, so "don't know" is the better reply.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AnswerThreshold { get; set; } = 0.35;

    /// <summary>The lower confidence at which a chunk is still shown to a model as possible context.</summary>
    [Range(0.0, 1.0)]
    public double ContextThreshold { get; set; } = 0.2;

    /// <summary>Unanswered turns in a row before the conversation goes to a human (the seed's "连续2轮无法解答").</summary>
    [Range(1, 10)]
    public int UnresolvedTurnsBeforeHandoff { get; set; } = 2;

    /// <summary>The model's context window in tokens; history is trimmed to fit it.</summary>
    [Range(512, 1_048_576)]
    public int ContextTokens { get; set; } = 4096;

    /// <summary>Tokens kept free for the reply.</summary>
    [Range(16, 32_768)]
    public int ReplyTokens { get; set; } = 512;

    /// <summary>The longest customer message accepted, in characters.</summary>
    [Range(1, 100_000)]
    public int MaxMessageCharacters { get; set; } = 2000;

    /// <summary>
    /// The most messages a customer may send in one conversation. It bounds what one conversation can store and what
    /// an agent has to read: beyond it the customer's messages are not stored; the customer channel hands the
    /// conversation to a person with a notice, the API endpoints answer 4xx naming the limit.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxCustomerTurns { get; set; } = 200;

    /// <summary>The shop's name as the assistant says it.</summary>
    [Required]
    public string ShopName { get; set; } = "本店";

    /// <summary>The assistant's name as it introduces itself.</summary>
    [Required]
    public string AssistantName { get; set; } = "智能客服";

    /// <summary>
    /// The system prompt a model is given (persona and rules), ideally the one it was fine-tuned with; the
    /// knowledge references and known facts are appended to it. Null: a prompt built from the shop's name.
    /// </summary>
    public string? SystemPrompt { get; set; }

    /// <summary>When human agents are available, as told to customers (for example 每天9:00–22:00); null if always.</summary>
    public string? HumanServiceHours { get; set; }

    /// <summary>The guardrails: word lists, and when a safety event hands the conversation to a person.</summary>
    public Guarding.GuardrailOptions Guardrails { get; set; } = new();

    /// <summary>
    /// The shop's own policy sentences, added to an order reply by the order's status (for example, for 待发货, when
    /// paid orders ship). Shop configuration, not code: without it the reply states only the order's own facts.
    /// </summary>
    public Dictionary<string, string> OrderStatusNotes { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The shop's order-number format as a .NET regex (matched case-insensitively as a whole token, e.g. <c>ORD\d{5}</c>);
    /// null: 2–6 letters followed by 5–20 digits.
    /// </summary>
    public string? OrderIdPattern { get; set; }

    /// <summary>
    /// The shop's tool definitions (OpenAI format, like samples/ecommerce/tools.json): its own descriptions and
    /// argument schemas — e.g. its order-number pattern — for the built-in tools of the same names; null: the built-in,
    /// shop-neutral definitions.
    /// </summary>
    public string? ToolDefinitionsPath { get; set; }

    /// <summary>How a customer finds their order number, told when the assistant asks for it; null: a generic hint.</summary>
    public string? OrderIdHint { get; set; }

    /// <summary>Product names of the catalog, for recognising the product a customer mentions.</summary>
    public List<string> ProductNames { get; set; } = [];
}
