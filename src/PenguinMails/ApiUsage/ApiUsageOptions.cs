namespace PenguinMails.ApiUsage;

/// <summary>The request log and its roll-ups: <c>PenguinMails:ApiUsage</c> (README "Usage analytics").</summary>
public sealed class ApiUsageOptions
{
    /// <summary>Record every request made with an API key. Off only to measure what recording costs (bench/).</summary>
    public bool RequestLog { get; set; } = true;

    /// <summary>Requests held in memory waiting to be written; past it a request is answered but not recorded (and counted).</summary>
    public int BufferCapacity { get; set; } = 50_000;

    /// <summary>How long requests gather in the buffer before they are written (once there are any).</summary>
    public int FlushMilliseconds { get; set; } = 1000;

    /// <summary>Most requests written in one database round.</summary>
    public int BatchSize { get; set; } = 2_000;

    /// <summary>Days the raw request log (GET /tenant/analytics/api-requests, recent errors) is kept.</summary>
    public int RawRetentionDays { get; set; } = 30;

    /// <summary>Days the per-minute and per-hour roll-ups (every figure of the usage API) are kept.</summary>
    public int RollupRetentionDays { get; set; } = 400;

    /// <summary>Compile the usage queries at start-up (<see cref="ApiUsageWarmUp"/>), so the first cold query is as fast as the next.</summary>
    public bool WarmUpOnStart { get; set; } = true;

    /// <summary>How often a node deletes what is past its retention.</summary>
    public double PruneIntervalMinutes { get; set; } = 60;
}
