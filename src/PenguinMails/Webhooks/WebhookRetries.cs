namespace PenguinMails.Webhooks;

/// <summary>
/// When a failed delivery is tried again: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h and 10 h after the attempts before
/// (each ±10 % so that a recovering endpoint is not met by every retry at once), then it has failed. A 429 or 503
/// with Retry-After is tried again when the endpoint asked (at most a day later), counting as an attempt.
/// </summary>
public static class WebhookRetries
{
    public static readonly IReadOnlyList<TimeSpan> Schedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>The attempts a delivery gets in all: the first and one per retry.</summary>
    public static int MaxAttempts => Schedule.Count + 1;

    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromDays(1);

    /// <summary>The delay before the next attempt after <paramref name="attempts"/> failed ones; null when none is left.</summary>
    public static TimeSpan? After(int attempts, TimeSpan? retryAfter)
    {
        if (attempts >= MaxAttempts)
        {
            return null;
        }

        if (retryAfter is { } asked)
        {
            return asked > LongestRetryAfter ? LongestRetryAfter : asked;
        }

        var planned = Schedule[Math.Clamp(attempts - 1, 0, Schedule.Count - 1)];
        return planned * (0.9 + (Random.Shared.NextDouble() * 0.2));
    }
}
