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
}
