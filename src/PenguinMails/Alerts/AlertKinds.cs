namespace PenguinMails.Alerts;

/// <summary>The kinds of alert (stored in <c>alert_occurrences.kind</c> and as the mail's purpose, at most 32 characters).</summary>
public static class AlertKinds
{
    /// <summary>A key expires in 7 days: its creator and the tenant's admins.</summary>
    public const string KeyExpiring = "key_expiring";

    /// <summary>A key that was not rotated expires (or expired) today: the same people.</summary>
    public const string KeyExpiresToday = "key_expires_today";

    /// <summary>The tenant's requests were refused by its rate limit at least the threshold's times in its window: the admins.</summary>
    public const string RateLimitExceeded = "rate_limit_exceeded";

    /// <summary>The tenant's requests failed at or above the threshold's rate in its window: the admins.</summary>
    public const string ErrorRate = "error_rate";

    /// <summary>Requests with a key came from an address outside its allow-list: the admins, at most once per key and hour.</summary>
    public const string IpViolation = "ip_violation";
}
