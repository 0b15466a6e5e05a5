namespace PenguinMails.ApiUsage;

/// <summary>The request log and its roll-ups: <c>PenguinMails:ApiUsage</c> (README "Usage analytics").</summary>
public sealed class ApiUsageOptions
{
    /// <summary>Record every request made with an API key. Off only to measure what recording costs (bench/).</summary>
    public bool RequestLog { get; set; } = true;

    /// <summary>Requests held in memory waiting to be written; past it a request is answered but not recorded (and counted).</summary>
    public int BufferCapacity { get; set; } = 50_000;

    /// <summary>
    /// How long requests gather in the buffer before their raw rows are written (once there are any). Short, so that a
    /// request's row dies young in the garbage collector's eyes: held for a second, 30,000 rows a second reached the
    /// older generations and their collections cost about as much as the writes (bench/README.md "Usage analytics").
    /// </summary>
    public int FlushMilliseconds { get; set; } = 100;

    /// <summary>How often the roll-ups and the keys' last use gathered from the written rows are added to the database.</summary>
    public int RollupFlushMilliseconds { get; set; } = 1000;

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
