namespace Kefu.Service.Routing;

/// <summary>What a customer's turn is about, as the router classifies it.</summary>
public enum TurnIntent
{
    /// <summary>A question the knowledge base should answer (policies, products, how-to).</summary>
    Knowledge,

    /// <summary>About one of the customer's orders: status, logistics, refund, address.</summary>
    OrderQuery,

    /// <summary>Greetings, thanks, goodbyes, "are you a robot".</summary>
    SmallTalk,

    /// <summary>A complaint or strong dissatisfaction.</summary>
    Complaint,

    /// <summary>The customer asks for a person.</summary>
    HumanRequest,

    /// <summary>Attempts to subvert the assistant, or requests it must refuse.</summary>
    Unsafe,
}
