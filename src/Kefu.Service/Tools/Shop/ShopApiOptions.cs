using System.ComponentModel.DataAnnotations;

namespace Kefu.Service.Tools.Shop;

/// <summary>Where the order and logistics API is and how patiently to call it.</summary>
public sealed class ShopApiOptions
{
    /// <summary>The API's base address, e.g. http://127.0.0.1:5181/. No tools are offered when it is null.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Time allowed for one attempt.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Time allowed for a call, retries included: a customer is waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:02:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Retries of safe (GET) requests after a transient failure; changes are never retried.</summary>
    [Range(0, 5)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>How long the circuit stays open after too many failures, failing fast instead of piling up waits.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:10:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Calls within the sampling window before the circuit may open.</summary>
    [Range(2, 1000)]
    public int MinimumThroughput { get; set; } = 5;
}
