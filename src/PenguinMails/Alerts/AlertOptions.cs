namespace PenguinMails.Alerts;

/// <summary>
/// Alerts mailed to a tenant's people (section <c>PenguinMails:Alerts</c>): how often the job looks, and the
/// installation's default thresholds. A tenant's own thresholds (<see cref="TenantAlertSetting"/>, set with
/// <c>penguinmails tenants set-alerts</c>) override these.
/// </summary>
public sealed class AlertOptions
{
    /// <summary>Run the alert job on this node. Every node may run it: each alert is still sent once.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How often the job looks for what is due, in seconds (on the server's clock), 1 to 86400.</summary>
    public double IntervalSeconds { get; set; } = 60;

    /// <summary>Default: refused requests (HTTP 429) within <see cref="RateLimitWindowMinutes"/> that make an alert.</summary>
    public int RateLimitRefusals { get; set; } = 10;

    /// <summary>Default: the window the refusals are counted over, in minutes.</summary>
    public int RateLimitWindowMinutes { get; set; } = 15;

    /// <summary>Default: the error rate (status 400 or more, in percent of the tenant's requests) that makes an alert.</summary>
    public int ErrorRatePercent { get; set; } = 5;

    /// <summary>Default: the fewest requests in the window for the error rate to count.</summary>
    public int ErrorRateMinRequests { get; set; } = 50;

    /// <summary>Default: the window the error rate is measured over, in minutes.</summary>
    public int ErrorRateWindowMinutes { get; set; } = 15;

    /// <summary>Days an alert's record of having been sent is kept after its period (at least 2): <see cref="AlertOccurrenceRetention"/>.</summary>
    public int OccurrenceRetentionDays { get; set; } = 30;
}
